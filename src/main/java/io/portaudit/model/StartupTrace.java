package io.portaudit.model;

/**
 * Start-up probes for measuring where a short command's time goes: with {@code -Dportaudit.startup.trace=true}
 * (e.g. {@code PORTAUDIT_JAVA_OPTS=-Dportaudit.startup.trace=true ./portaudit diff ...}) each {@link #mark} prints
 * to stderr the milliseconds since the previous mark. Off, a mark is one static read.
 */
public final class StartupTrace {
    private static final boolean ON = Boolean.getBoolean("portaudit.startup.trace");
    private static long last;

    private StartupTrace() {}

    public static void mark(String what) {
        if (ON) print(what);
    }

    private static synchronized void print(String what) {
        long now = System.nanoTime();
        if (last == 0) System.err.printf(java.util.Locale.ROOT, "startup: %-28s (the JVM's own start before it: -Xlog:startuptime)%n", what);
        else System.err.printf(java.util.Locale.ROOT, "startup: %-28s +%6.1f ms%n", what, (now - last) / 1e6);
        last = now;
    }
}
