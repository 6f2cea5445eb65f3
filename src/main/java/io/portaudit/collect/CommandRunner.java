package io.portaudit.collect;

import io.portaudit.model.Capture;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local command with a bound on time and output size, never through a shell (arguments
 * are passed as a list, so nothing is built from unescaped input).
 */
public final class CommandRunner {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

    private final Clock clock;
    private final Duration timeout;
    private final int maxBytes;

    public CommandRunner(Clock clock, Duration timeout, int maxBytes) {
        this.clock = clock;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    public CommandRunner() {
        this(Clock.systemUTC());
    }

    public CommandRunner(Clock clock) {
        this(clock, DEFAULT_TIMEOUT, DEFAULT_MAX_BYTES);
    }

    /** Finds an executable in PATH and the sbin directories (root tools live there). */
    public static String which(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            File f = new File(dir, name);
            if (f.isFile() && f.canExecute()) return f.getPath();
        }
        return null;
    }

    /** Runs {@code argv}; the capture says what happened even when the command failed or hung. */
    public Capture run(String kind, List<String> argv, String source) {
        var at = clock.instant();
        String label = String.join(" ", argv);
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Capture(kind, label, null, "", "cannot run: " + e.getMessage(), at, source, true);
        }
        Reader out = new Reader(p.getInputStream(), maxBytes);
        Reader err = new Reader(p.getErrorStream(), 1024 * 1024);
        out.start();
        err.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) p.destroyForcibly();
        out.await(2000);
        err.await(2000);
        boolean truncated = !finished || out.overflow;
        String stderr = err.text();
        if (!finished) stderr = stderr + (stderr.isEmpty() ? "" : "\n") + "portaudit: timed out after " + timeout.toSeconds() + " s";
        if (out.overflow) stderr = stderr + (stderr.isEmpty() ? "" : "\n") + "portaudit: output cut at " + maxBytes + " bytes";
        return new Capture(kind, label, finished ? p.exitValue() : null, out.text(), stderr, at, source, truncated);
    }

    /** Drains a stream up to a byte bound and keeps reading (discarding) so the child never blocks. */
    private static final class Reader extends Thread {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        volatile boolean overflow;

        Reader(InputStream in, int max) {
            this.in = in;
            this.max = max;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(b)) > 0) {
                    int room = max - buf.size();
                    if (room > 0) buf.write(b, 0, Math.min(room, n));
                    if (n > room) overflow = true;
                }
            } catch (IOException ignored) {
                // the process ended or was killed: keep what arrived
            }
        }

        void await(long millis) {
            try {
                super.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
