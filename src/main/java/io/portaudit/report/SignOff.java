package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import io.portaudit.store.DeviceIdentity;

/**
 * What the sign-off block of the HTML and Markdown reports says besides the audit: who ran it ({@code --operator NAME})
 * and a free note ({@code --note TEXT}). The board's product/model, serial and firmware come from the audit's collected
 * identity (the {@code device-id} capture, os-release) and the policy's product; what is not known is left as a line to
 * fill in by hand, never guessed.
 */
public record SignOff(String operator, String note) {
    public static final SignOff NONE = new SignOff(null, null);

    /** The facts of the block, each null when not known. */
    public record Facts(String product, String model, String serial, String firmware, String hostname, String collectedAt,
                        String collectedHow, String operator, String note) {}

    public Facts facts(AuditResult r) {
        DeviceIdentity id = r.snapshot() == null ? null : DeviceIdentity.of(r.snapshot());
        String product = r.policy() == null ? null : r.policy().product();
        String how = (r.snapshot().source() == null ? "?" : r.snapshot().source()) + " — "
                + io.portaudit.model.L10n.t("signoff.views") + " " + TextReport.views(r.viewsPresent())
                + (r.viewsMissing().isEmpty() ? "" : "; " + io.portaudit.model.L10n.t("signoff.missing") + " " + TextReport.views(r.viewsMissing()));
        return new Facts(product, id == null ? null : id.model(), id == null ? null : id.serial(), id == null ? null : id.firmware(),
                id == null ? null : id.hostname(), r.snapshot().collectedAt() == null ? null : r.snapshot().collectedAt().toString(), how,
                blank(operator), blank(note));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
