package io.portaudit.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Helpers for lab tests: run commands on the host or inside a lab namespace (bounded in time),
 * bring the shared device lab ({@code lab/lab}) up once per test JVM.
 *
 * <p>Network safety: lab tests send traffic only to loopback and to 10.77.0.0/16 / fd77::/16
 * addresses of namespaces the lab or the test created; a blackhole route for both prefixes is
 * installed before any device exists.
 */
public final class Lab {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static volatile boolean sharedUp;

    private Lab() {}

    public record Result(int exit, String out, String err) {
        public Result requireOk(String what) {
            if (exit != 0) throw new IllegalStateException(what + " failed (exit " + exit + "): " + err + out);
            return this;
        }
    }

    /** The repository root (where lab/ and the launcher live). */
    public static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("pom.xml"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root");
        return p;
    }

    static String whyUnavailable() {
        try {
            String status = Files.readString(Path.of("/proc/self/status"));
            if (!status.lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"))) return "not running as root";
        } catch (IOException e) {
            return "cannot read /proc/self/status";
        }
        if (!new File("/usr/sbin/ip").canExecute() && !new File("/sbin/ip").canExecute() && !new File("/usr/bin/ip").canExecute()) {
            return "iproute2 (ip) is not installed";
        }
        Result r = run(Duration.ofSeconds(10), "ip", "netns", "list");
        if (r.exit != 0) return "network namespaces are not available: " + r.err;
        return null;
    }

    /** Runs a command on the host, bounded in time; output is read fully (tests keep it small). */
    public static Result run(Duration timeout, String... argv) {
        return run(timeout, List.of(argv));
    }

    public static Result run(Duration timeout, List<String> argv) {
        try {
            File out = File.createTempFile("lab-out", ".txt");
            File err = File.createTempFile("lab-err", ".txt");
            try {
                Process p = new ProcessBuilder(argv).redirectOutput(out).redirectError(err)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    return new Result(-1, Files.readString(out.toPath(), StandardCharsets.UTF_8),
                            "timed out after " + timeout + ": " + String.join(" ", argv));
                }
                return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8));
            } finally {
                out.delete();
                err.delete();
            }
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }

    /** Runs a command inside a network namespace. */
    public static Result inNs(String ns, Duration timeout, String... argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(argv));
        return run(timeout, full);
    }

    /** Brings the shared lab devices (pa-g3, pa-440, pa-nft) up once per JVM; idempotent. */
    public static synchronized void up() {
        if (sharedUp) return;
        Result r = run(Duration.ofMinutes(5), repo().resolve("lab/lab").toString(), "up");
        if (r.exit != 0) LabExtension.cannotRun("lab/lab up failed: " + r.err + r.out);
        sharedUp = true;
    }

    /** Takes the shared lab down (for the lifecycle test); the next {@link #up()} rebuilds it. */
    public static synchronized Result down() {
        sharedUp = false;
        return run(Duration.ofMinutes(2), repo().resolve("lab/lab").toString(), "down");
    }
}
