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

    /**
     * The command that runs portaudit from the classes under test (never the launcher, which would
     * start a Maven build in the middle of the test run).
     */
    public static List<String> portaudit(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",   // as the launcher's jar manifest
                // the tests' store setting (none: audits record nothing in root's default store)
                "-Dportaudit.store=" + System.getProperty("portaudit.store", "none"),
                "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs portaudit (from the classes under test) inside a network namespace. */
    public static Result portauditInNs(String ns, Duration timeout, String... args) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(portaudit(args));
        return run(timeout, full);
    }

    /**
     * Brings the shared lab devices (pa-g3, pa-440, pa-nft) up, or repairs them (a dead daemon is
     * restarted); idempotent and cheap when everything is already up.
     */
    public static synchronized void up() {
        String lab = repo().resolve("lab/lab").toString();
        if (sharedUp && run(Duration.ofSeconds(30), lab, "status").exit() == 0) return;
        Result r = run(Duration.ofMinutes(5), lab, "up");
        if (r.exit() != 0) LabExtension.cannotRun("lab/lab up failed: " + r.err() + r.out());
        sharedUp = true;
    }

    /** This run's tag: the JVM's pid in base 36 (at most 5 characters). */
    public static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);

    /**
     * {@code base} made this run's own ({@code base-RUN}), for a namespace of a test's own: two suites running at once (two
     * worktrees) never take, or delete, each other's namespaces. The shared lab's names (pa-g3, pa-440, pa-nft) stay fixed.
     */
    public static String unique(String base) {
        return base + "-" + RUN;
    }

    /** {@link #unique} for a link name: its base shortened so that the whole fits the kernel's 15 characters. */
    public static String uniqueLink(String base) {
        String tag = "-" + RUN;
        return (base.length() + tag.length() > 15 ? base.substring(0, 15 - tag.length()) : base) + tag;
    }

    /**
     * Removes the namespaces and links a run of the same test left when it died before its cleanup: named as
     * {@code name} but with the tag of a process that no longer exists. Never a live run's, never another test's.
     */
    static void reapStale(String name, boolean link) {
        String tag = "-" + RUN;
        if (!name.endsWith(tag)) return;
        String base = name.substring(0, name.length() - tag.length());
        Duration t = Duration.ofSeconds(30);
        Result list = link ? run(t, "ip", "-o", "link", "show") : run(t, "ip", "netns", "list");
        if (list.exit() != 0) return;
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(link
                ? "^\\d+: (" + java.util.regex.Pattern.quote(base) + "-([0-9a-z]{1,5}))[@:]"
                : "^(" + java.util.regex.Pattern.quote(base) + "-([0-9a-z]{1,5}))(\\s|$)");
        for (String line : list.out().split("\n")) {
            java.util.regex.Matcher m = p.matcher(line.strip());
            if (!m.find() || m.group(1).equals(name)) continue;
            long pid;
            try {
                pid = Long.parseLong(m.group(2), 36);
            } catch (NumberFormatException e) {
                continue;
            }
            if (ProcessHandle.of(pid).isPresent()) continue;   // a live run (or a reused pid: left alone, never guessed)
            if (link) {
                run(t, "ip", "link", "del", m.group(1));
            } else {
                Result pids = run(t, "ip", "netns", "pids", m.group(1));
                if (pids.exit() == 0) for (String pid2 : pids.out().split("\\s+")) if (!pid2.isBlank()) run(t, "kill", pid2.trim());
                run(t, "ip", "netns", "del", m.group(1));
            }
        }
    }

    /**
     * Creates a device of a test's own: namespace {@code ns} joined to the host by the veth pair
     * {@code link} (host side) / {@code eth0} (device side), after the lab prefixes are blackholed.
     * Addresses are CIDRs from the test's own block; the IPv6 pair may be null.
     */
    public static void device(String ns, String link, String host4, String dev4, String host6, String dev6) {
        Duration t = Duration.ofSeconds(30);
        run(t, "ip", "route", "add", "blackhole", "10.77.0.0/16");   // "File exists" is fine
        run(t, "ip", "-6", "route", "add", "blackhole", "fd77::/16");
        reapStale(ns, false);
        reapStale(link, true);
        removeDevice(ns, link);
        run(t, "ip", "netns", "add", ns).requireOk("ip netns add " + ns);
        run(t, "ip", "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", ns).requireOk("veth " + link);
        run(t, "ip", "addr", "add", host4, "dev", link).requireOk("host address");
        if (host6 != null) run(t, "ip", "-6", "addr", "add", host6, "dev", link, "nodad").requireOk("host IPv6 address");
        run(t, "ip", "link", "set", link, "up").requireOk("host link up");
        inNs(ns, t, "ip", "addr", "add", dev4, "dev", "eth0").requireOk("device address");
        if (dev6 != null) inNs(ns, t, "ip", "-6", "addr", "add", dev6, "dev", "eth0", "nodad").requireOk("device IPv6 address");
        inNs(ns, t, "ip", "link", "set", "eth0", "up").requireOk("device link up");
        inNs(ns, t, "ip", "link", "set", "lo", "up").requireOk("device lo up");
    }

    /** Stops every process of a test's device by pid and deletes its namespace and link; idempotent. */
    public static void removeDevice(String ns, String link) {
        Duration t = Duration.ofSeconds(30);
        Result pids = run(t, "ip", "netns", "pids", ns);
        if (pids.exit() == 0) {
            for (String pid : pids.out().split("\\s+")) if (!pid.isBlank()) run(t, "kill", pid.trim());
        }
        run(t, "ip", "link", "del", link);
        run(t, "ip", "netns", "del", ns);
    }

    /**
     * Starts a test daemon inside a namespace and waits for it to print {@code ready} on its first
     * line (the fixtures under {@code src/test/resources/fixtures/scan} do).
     */
    public static Process daemon(String ns, String... argv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String ready = new String(p.getInputStream().readNBytes(6), StandardCharsets.US_ASCII);
        if (!ready.equals("ready\n")) {
            stop(p);
            throw new IllegalStateException("daemon in " + ns + " did not start: " + ready);
        }
        return p;
    }

    /** Stops a process started by a test (and its children), waiting a bounded time; null is fine. */
    public static void stop(Process p) throws InterruptedException {
        if (p == null) return;
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    /**
     * OpenSSH's sshd (binary {@code sshdBin}, installed or unpacked) inside namespace {@code ns} —
     * never on the host — listening on each of {@code listen} (address:port, [v6]:port), public-key login only, its
     * files in {@code work}. Its privilege-separation user is added to a copy of /etc/passwd bound
     * over the real one in a mount namespace of its own, so nothing changes on the host. Output goes
     * to {@code work/sshd.log}.
     */
    public static Process sshd(String ns, String sshdBin, Path work, List<String> listen, List<Path> hostKeys, Path authorizedKeys)
            throws IOException {
        return sshd(ns, sshdBin, work, "sshd", listen, hostKeys, authorizedKeys, null);
    }

    /**
     * As {@link #sshd(String, String, Path, List, List, Path)}, named {@code name} (its files are
     * {@code work/NAME_config}, {@code work/NAME.log}), and with {@code rootPassword} non-null
     * password logins for root too: a copy of /etc/shadow with that password is bound over the real
     * one in sshd's own mount namespace.
     */
    public static Process sshd(String ns, String sshdBin, Path work, String name, List<String> listen, List<Path> hostKeys,
                               Path authorizedKeys, String rootPassword) throws IOException {
        return sshd(ns, sshdBin, work, name, listen, hostKeys, authorizedKeys, rootPassword, "");
    }

    /** As above, with {@code extraConfig} (sshd_config lines) at the top of its configuration. */
    public static Process sshd(String ns, String sshdBin, Path work, String name, List<String> listen, List<Path> hostKeys,
                               Path authorizedKeys, String rootPassword, String extraConfig) throws IOException {
        StringBuilder config = new StringBuilder(extraConfig);
        if (rootPassword != null) config.append("PasswordAuthentication yes\nPermitRootLogin yes\n");
        for (String l : listen) config.append("ListenAddress ").append(l).append('\n');
        for (Path k : hostKeys) config.append("HostKey ").append(k).append('\n');
        config.append("PidFile none\nAuthorizedKeysFile ").append(authorizedKeys).append('\n')
                .append("StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n")
                .append("PermitRootLogin prohibit-password\n");
        Path configFile = work.resolve(name + "_config");
        Files.writeString(configFile, config);
        Files.createDirectories(Path.of("/run/sshd"));
        String passwd = Files.readString(Path.of("/etc/passwd"));
        if (!passwd.contains("\nsshd:")) passwd = passwd + "sshd:x:64000:65534::/run/sshd:/usr/sbin/nologin\n";
        Files.writeString(work.resolve("passwd-sshd"), passwd);
        String mounts = "mount -o bind " + work.resolve("passwd-sshd") + " /etc/passwd";
        if (rootPassword != null) {
            String hash = run(Duration.ofSeconds(30), "openssl", "passwd", "-6", rootPassword).requireOk("openssl passwd").out().strip();
            StringBuilder shadow = new StringBuilder("root:" + hash + ":19000:0:99999:7:::\n");
            for (String l : Files.readString(Path.of("/etc/shadow")).split("\n")) if (!l.startsWith("root:") && !l.isBlank()) shadow.append(l).append('\n');
            Files.writeString(work.resolve(name + "-shadow"), shadow);
            mounts += " && mount -o bind " + work.resolve(name + "-shadow") + " /etc/shadow";
        }
        return new ProcessBuilder("ip", "netns", "exec", ns, "unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                mounts + " && exec " + sshdBin + " -D -e -f " + configFile)
                .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** The namespace's accept-queue counters ({@code nstat}): TcpExtListenOverflows and TcpExtListenDrops. */
    public static java.util.Map<String, Long> listenCounters(String ns) {
        Result r = run(Duration.ofSeconds(30), "ip", "netns", "exec", ns, "nstat", "-asz", "TcpExtListenOverflows", "TcpExtListenDrops");
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("(TcpExt\\w+)\\s+(\\d+)").matcher(r.out());
        while (x.find()) m.put(x.group(1), Long.parseLong(x.group(2)));
        if (!m.containsKey("TcpExtListenOverflows") || !m.containsKey("TcpExtListenDrops")) {
            throw new IllegalStateException("nstat in " + ns + " gave no listen counters: " + r.out() + r.err());
        }
        return m;
    }

    /** Takes the shared lab down (for the lifecycle test); the next {@link #up()} rebuilds it. */
    public static synchronized Result down() {
        sharedUp = false;
        return run(Duration.ofMinutes(2), repo().resolve("lab/lab").toString(), "down");
    }
}
