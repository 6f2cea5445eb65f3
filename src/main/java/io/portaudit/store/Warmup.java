package io.portaudit.store;

/**
 * Start-up work done ahead, on a second thread, while the main thread builds the command line: a short command that
 * reads the store (diff, history, show, serve) otherwise pays for it in sequence when it opens the store. What is
 * done here is exactly what {@link Store#open} does first, so the open finds it done (or waits for a class being
 * initialized, or does it again; never anything different): sqlite-jdbc's native library (extracted once,
 * {@link SqliteNative}) loaded, the driver's classes initialized, and its connection settings built, whose date
 * format is most of a connection's cost in a short run (a pattern parser over the locale's names, cached by the
 * driver per pattern); then the messages bundle of the run's language. Anything that fails here is left for the open
 * to report.
 */
public final class Warmup {
    private Warmup() {}

    /** Starts the warm-up on a daemon thread (it never delays the exit). */
    public static void start() {
        Thread t = new Thread(Warmup::run, "portaudit-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** The warm-up itself, on the calling thread (the AOT training run calls it). */
    public static void run() {
        try {
            SqliteNative.prepare();
            org.sqlite.SQLiteJDBCLoader.initialize();
            new org.sqlite.SQLiteConfig();   // its date format, cached by the driver for every later connection
            Class.forName("org.sqlite.JDBC");
            io.portaudit.model.StartupTrace.mark("warm-up: sqlite ready");
        } catch (Exception | LinkageError e) {
            // the open does the same and reports what is wrong
        }
        try {
            // the messages of the language the run starts in (a properties file parsed on first use)
            io.portaudit.model.L10n.bundle(io.portaudit.model.L10n.Lang.fromEnvironment(System::getenv));
            io.portaudit.model.StartupTrace.mark("warm-up: messages ready");
        } catch (RuntimeException | LinkageError e) {
            // read again where they are needed
        }
    }
}
