package io.portaudit.fleet;

import io.portaudit.model.L10n;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device's failure reason as stored (English, in the fleet tables) shown in the reader's language: the reasons fleet
 * itself writes are recognised and written from message keys; any other text (a device's or an SSH error's) is shown as
 * it is. JSON and JUnit outputs keep the stored text.
 */
public final class FleetReasons {
    private FleetReasons() {}

    private static final Pattern TIMED_OUT = Pattern.compile("timed out after (\\d+) s");
    private static final Pattern NO_ANSWER = Pattern.compile(
            "no answer on any scanned port from (.*) \\(down, a wrong address, or it drops everything\\): nothing can be said about its ports");
    private static final Pattern TAKEN_OVER = Pattern.compile("taken over from worker (.*) \\(no heartbeat for (\\d+) s\\)");
    private static final String INTERNAL = "internal error: ";
    private static final String CANCELLED = "cancelled before it was audited";

    /** {@code reason} in the current language (as it is in English, or when it is not one of fleet's own). */
    public static String shown(String reason) {
        if (reason == null || !L10n.ja()) return reason;
        Matcher m;
        if ((m = TIMED_OUT.matcher(reason)).matches()) return L10n.t("jf.fleet.timedout", m.group(1));
        if ((m = NO_ANSWER.matcher(reason)).matches()) return L10n.t("jf.fleet.noanswer", m.group(1));
        if ((m = TAKEN_OVER.matcher(reason)).matches()) return L10n.t("jf.fleet.takenover", m.group(1), m.group(2));
        if (reason.equals(CANCELLED)) return L10n.t("jf.fleet.cancelled");
        if (reason.startsWith(INTERNAL)) return L10n.t("jf.fleet.internal", reason.substring(INTERNAL.length()));
        return reason;
    }
}
