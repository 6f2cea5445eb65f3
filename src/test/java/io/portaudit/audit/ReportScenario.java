package io.portaudit.audit;

import io.portaudit.model.PortState;
import io.portaudit.model.ServiceNames;
import java.time.Clock;
import java.time.ZoneOffset;

/** The hand-built scenario, audited, for report tests in other packages. */
public final class ReportScenario {
    public static final String BANNER = Scenarios.BANNER;

    private ReportScenario() {}

    public static AuditResult result() {
        return Auditor.audit(Scenarios.input(PortState.OPEN), Policy.none(), null, ServiceNames.iana(),
                Clock.fixed(Scenarios.AT, ZoneOffset.UTC));
    }
}
