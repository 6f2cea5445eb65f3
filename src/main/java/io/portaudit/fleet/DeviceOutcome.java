package io.portaudit.fleet;

import java.util.Locale;

/**
 * How one fleet device's audit ended.
 *
 * @param name      the device's name in the fleet file
 * @param status    PASS / FAIL (the gate) / PARTIAL (a result was recorded but collection or scan was incomplete) /
 *                  ERROR (no result: unreachable, host key changed, authentication refused, bad bundle, time limit)
 * @param reason    why, for FAIL/PARTIAL/ERROR (one line); null for PASS
 * @param auditId   the stored audit's id, or null when nothing was recorded (ERROR, or no store)
 * @param retryable true when trying again later may help (unreachable, no answer; not a time limit)
 */
public record DeviceOutcome(String name, Status status, String reason, Long auditId, boolean retryable) {
    public enum Status {
        PASS, FAIL, PARTIAL, ERROR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public DeviceOutcome(String name, Status status, String reason, Long auditId) {
        this(name, status, reason, auditId, false);
    }

    public static DeviceOutcome error(String name, String reason, boolean retryable) {
        return new DeviceOutcome(name, Status.ERROR, reason, null, retryable);
    }

    /** The device could not be audited (completely): counts for exit code 3. */
    public boolean incomplete() {
        return status == Status.ERROR || status == Status.PARTIAL;
    }

    /** The fleet's exit code from its devices' outcomes: 3 if any could not be audited, else 1 if any failed, else 0. */
    public static int exitCode(Iterable<Status> statuses) {
        boolean fail = false;
        for (Status s : statuses) {
            if (s == Status.ERROR || s == Status.PARTIAL) return 3;
            if (s == Status.FAIL) fail = true;
        }
        return fail ? 1 : 0;
    }
}
