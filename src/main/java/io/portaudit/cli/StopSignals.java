package io.portaudit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGINT (Ctrl-C) and SIGTERM handled by a long-running command instead of by the JVM. The JVM's own handling runs
 * the shutdown hooks and then exits with 128 + the signal (130 for Ctrl-C) whatever the command would have returned:
 * a hook cannot set the exit code. Here the first signal calls {@code onStop} (which makes the command end early, on
 * its own thread), the command prints its summary and returns its exit code as usual (3 when not everything was done).
 * The first signal also gives the JVM's handling back, so a second Ctrl-C ends the process at once (exit 130).
 * {@link #close()} restores the JVM's handling too. Where the handlers cannot be installed (no signal support,
 * {@code -Xrs}) nothing changes and the command's shutdown hook, if any, still runs.
 */
final class StopSignals implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final List<sun.misc.Signal> installed = new ArrayList<>();
    private final List<sun.misc.SignalHandler> previous = new ArrayList<>();
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile String signal;

    private StopSignals() {
    }

    /** Installs the handlers: the first SIGINT or SIGTERM runs {@code onStop} once, on the JVM's signal thread. */
    static StopSignals install(Runnable onStop) {
        StopSignals s = new StopSignals();
        for (String name : SIGNALS) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(sig, x -> {
                    if (!s.fired.compareAndSet(false, true)) return;
                    s.signal = "SIG" + x.getName();
                    s.restore();   // a second Ctrl-C: the JVM's own handling, at once
                    onStop.run();
                });
                s.installed.add(sig);
                s.previous.add(old);
            } catch (IllegalArgumentException | LinkageError e) {
                // this signal cannot be handled here (-Xrs, no support): the JVM's default applies to it
            }
        }
        return s;
    }

    /** Whether a stop signal came. */
    boolean fired() {
        return fired.get();
    }

    /** The signal that came (SIGINT, SIGTERM), or null. */
    String signal() {
        return signal;
    }

    private synchronized void restore() {
        for (int i = 0; i < installed.size(); i++) {
            try {
                sun.misc.Signal.handle(installed.get(i), previous.get(i));
            } catch (IllegalArgumentException | LinkageError ignored) {
                // cannot happen for a signal installed above; nothing else to do
            }
        }
        installed.clear();
        previous.clear();
    }

    @Override
    public void close() {
        restore();
    }
}
