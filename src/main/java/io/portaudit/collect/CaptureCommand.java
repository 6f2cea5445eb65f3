package io.portaudit.collect;

/**
 * One fact to gather on a device: a POSIX sh snippet whose stdout is the raw text of {@code kind}.
 * The same snippet runs over SSH ({@code sh -c 'BODY'}) and inside the collect script, so both give
 * the same texts.
 *
 * @param kind       the capture kind ({@code DeviceSnapshot.KIND_*} or a {@link CaptureCommands} kind)
 * @param command    what a person would have typed, recorded as the capture's command
 * @param body       the sh snippet (constant text; never built from input)
 * @param fallbackOf when non-null, run only if the probe of this kind could not run (tool missing, exit 127)
 *                   or, with {@code onAnyFailure}, failed at all
 * @param onAnyFailure see {@code fallbackOf}
 * @param ownNetns   true when the text belongs to the collector's own network namespace (sockets, addresses,
 *                   firewall, sysctl): its capture gets that namespace as {@code netns}, so a view groups it
 *                   with the same namespace's {@code /proc/net} tables; false for device-wide facts (uname)
 */
public record CaptureCommand(String kind, String command, String body, String fallbackOf, boolean onAnyFailure, boolean ownNetns) {
    public static CaptureCommand of(String kind, String command) {
        return new CaptureCommand(kind, command, command, null, false, true);
    }

    public static CaptureCommand of(String kind, String command, String body) {
        return new CaptureCommand(kind, command, body, null, false, true);
    }

    public CaptureCommand ifMissing(String kindOf) {
        return new CaptureCommand(kind, command, body, kindOf, false, ownNetns);
    }

    public CaptureCommand ifFailed(String kindOf) {
        return new CaptureCommand(kind, command, body, kindOf, true, ownNetns);
    }

    /** A fact about the whole device, not one network namespace. */
    public CaptureCommand deviceWide() {
        return new CaptureCommand(kind, command, body, fallbackOf, onAnyFailure, false);
    }

    /** Should this probe run, given the exit status of the probe it falls back for (null: not run / unknown)? */
    public boolean wanted(Integer primaryExit) {
        if (fallbackOf == null) return true;
        if (primaryExit == null) return true;
        return onAnyFailure ? primaryExit != 0 : primaryExit == CaptureCommands.NOT_FOUND;
    }
}
