package io.portaudit.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many sockets the scanner may hold open at once without ever hitting "too many open files":
 * the soft {@code RLIMIT_NOFILE} from {@code /proc/self/limits}, minus the descriptors already open
 * ({@code /proc/self/fd}), minus a reserve for the JVM, output files and service probes.
 */
public final class FdBudget {
    public static final int RESERVE = 48;
    public static final int CEILING = 4096;

    private FdBudget() {}

    /** Parses the soft "Max open files" value of a {@code /proc/PID/limits} text; -1 if absent or unlimited. */
    public static long softNoFile(String limitsText) {
        for (String line : limitsText.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                if (f.length > 0) {
                    if (f[0].equals("unlimited")) return -1;
                    try {
                        return Long.parseLong(f[0]);
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
        }
        return -1;
    }

    /** The budget given a soft limit and the descriptors open now: at least 4, at most {@link #CEILING}. */
    public static int budget(long softLimit, int openNow) {
        if (softLimit < 0) return CEILING;
        long b = softLimit - openNow - RESERVE;
        if (b > CEILING) b = CEILING;
        if (b < 4) b = Math.max(1, Math.min(4, softLimit - openNow - 2));
        return (int) Math.max(1, b);
    }

    /** This process's budget now. */
    public static int current() {
        long soft = -1;
        int open = 64;
        try {
            soft = softNoFile(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            soft = 1024;  // the common default; conservative
        }
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            open = (int) s.count();
        } catch (IOException e) {
            // keep the guess
        }
        return budget(soft, open);
    }
}
