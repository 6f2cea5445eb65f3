package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.lab.Lab;
import io.portaudit.lab.LabExtension;
import io.portaudit.lab.LabTest;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real SSH servers in a namespace of our own (pa-rmt1; host side vpa-rmt1 10.77.40.1, device
 * 10.77.40.2): OpenSSH sshd on port 22 with the host's GNU tools, and dropbear on port 2222 in a
 * mount namespace where /usr/bin holds only busybox applets (no ip, netstat, ss, nft, iptables) and
 * /usr/sbin is empty: a busybox-only device. Host and client keys are made per run; the servers
 * never run on the host and are stopped by pid. A forced-command wrapper lets a test make the
 * device stall ({@code sleep} in iptables-save) or drop the connection (kill its session process).
 */
@LabTest
class RemoteLabTest {
    static final String NS = Lab.unique("pa-rmt1");
    static final String LINK = Lab.uniqueLink("vpa-rmt1");
    /** How long iptables-save stalls on the device in the "stall" mode (its session is cut long before). */
    static final Duration STALL = Duration.ofSeconds(120);
    static final String HOST = "10.77.40.2";
    static final String HOST6 = "fd77:40::2";
    static final Duration T = Duration.ofSeconds(30);

    static final String CACHE = System.getenv().getOrDefault("PORTAUDIT_LAB_CACHE", "/var/cache/portaudit-lab");
    static final String PACKAGES = "openssh-server, dropbear-bin (installed under a policy-rc.d that exits 101, or unpacked with "
            + "dpkg-deb -x into " + CACHE + "/openssh and " + CACHE + "/dropbear), openssh-client, busybox, dash";
    static Path work;
    static String sshdBin;
    static String dropbearBin;
    static String dropbearKey;

    static String find(String env, String... candidates) {
        String e = System.getenv(env);
        if (e != null && Files.isExecutable(Path.of(e))) return e;
        for (String c : candidates) if (Files.isExecutable(Path.of(c))) return c;
        LabExtension.cannotRun(candidates[0] + " is missing (" + PACKAGES + ")");
        return null;
    }
    static Process sshd;
    static Process sshdPassword;
    static Process dropbear;
    static final String ROOT_PASSWORD = "pa-lab-Passw0rd";
    static final String KEY_PASSPHRASE = "pa-lab-key-secret";

    @BeforeAll
    static void up() throws Exception {
        sshdBin = find("PORTAUDIT_SSHD", "/usr/sbin/sshd", CACHE + "/openssh/usr/sbin/sshd");
        dropbearBin = find("PORTAUDIT_DROPBEAR", "/usr/sbin/dropbear", CACHE + "/dropbear/usr/sbin/dropbear");
        dropbearKey = find("PORTAUDIT_DROPBEARKEY", "/usr/bin/dropbearkey", CACHE + "/dropbear/usr/bin/dropbearkey");
        for (String bin : List.of("/usr/bin/ssh-keygen", "/usr/bin/ssh-agent", "/usr/bin/busybox", "/usr/bin/dash")) {
            if (!Files.isExecutable(Path.of(bin))) LabExtension.cannotRun(bin + " is missing (" + PACKAGES + ")");
        }
        work = Files.createTempDirectory("pa-rmt");
        Lab.device(NS, LINK, "10.77.40.1/24", HOST + "/24", "fd77:40::1/64", HOST6 + "/64");
        // a firewall the device's texts must carry
        Lab.inNs(NS, T, "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "23", "-j", "DROP");
        Lab.inNs(NS, T, "ip6tables", "-A", "INPUT", "-p", "tcp", "--dport", "23", "-j", "DROP");

        Lab.run(T, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", w("host_ecdsa")).requireOk("host key");
        Lab.run(T, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", w("other_ecdsa")).requireOk("other key");
        Lab.run(T, "ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", w("client")).requireOk("client key");
        Lab.run(T, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", w("host_ed25519")).requireOk("host key");
        Lab.run(T, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", w("client_ed25519")).requireOk("client key");
        Lab.run(T, "ssh-keygen", "-q", "-t", "ed25519", "-N", KEY_PASSPHRASE, "-f", w("client_enc")).requireOk("encrypted client key");
        Lab.run(T, dropbearKey, "-t", "ecdsa", "-f", w("db_host")).requireOk("dropbear key");
        String dbPub = Lab.run(T, dropbearKey, "-y", "-f", w("db_host")).out().lines()
                .filter(l -> l.startsWith("ecdsa-")).findFirst().orElseThrow();
        Files.writeString(work.resolve("db_host.pub"), dbPub + "\n");

        Files.writeString(work.resolve("wrap.sh"), """
                #!/bin/sh
                mode=$(cat %s 2>/dev/null)
                case "$mode:$SSH_ORIGINAL_COMMAND" in
                  stall:*iptables-save*) sleep %d ;;
                  drop:*ip6tables-save*) kill -9 $PPID; exit 1 ;;
                esac
                exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"
                """.formatted(w("mode"), STALL.toSeconds()));
        work.resolve("wrap.sh").toFile().setExecutable(true, false);
        Files.createDirectories(work.resolve("home/.ssh"));
        StringBuilder keys = new StringBuilder();
        for (String k : List.of("client.pub", "client_ed25519.pub", "client_enc.pub")) {
            keys.append("command=\"").append(w("wrap.sh")).append("\",no-pty,no-port-forwarding ")
                    .append(Files.readString(work.resolve(k)).strip()).append('\n');
        }
        Files.writeString(work.resolve("home/.ssh/authorized_keys"), keys.toString());
        Files.copy(work.resolve("home/.ssh/authorized_keys"), work.resolve("authorized_keys"));
        Lab.run(T, "chmod", "700", work.toString(), w("home"), w("home/.ssh")).requireOk("chmod");

        // OpenSSH: the host's tools
        sshd = Lab.sshd(NS, sshdBin, work, List.of(HOST + ":22", "[" + HOST6 + "]:22"), List.of(work.resolve("host_ecdsa"), work.resolve("host_ed25519")),
                work.resolve("authorized_keys"));

        // OpenSSH with password logins (root's password only in sshd's own mount namespace)
        sshdPassword = Lab.sshd(NS, sshdBin, work, "sshd-pw", List.of(HOST + ":2200"), List.of(work.resolve("host_ecdsa")),
                work.resolve("authorized_keys"), ROOT_PASSWORD);

        // dropbear: a busybox-only device (its own mount namespace; nothing changes on the host)
        makeBusyboxDir(work.resolve("bb"), Set.of("ip", "netstat", "ifconfig", "route"));
        Files.copy(Path.of(dropbearBin), work.resolve("dropbear"));
        Files.copy(Path.of("/usr/bin/dash"), work.resolve("dash"));
        Files.writeString(work.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        sshdDropbear();
        waitForPort(22);
        waitForPort(2222);
        waitForPort(2200);
    }

    static void sshdDropbear() throws Exception {
        dropbear = start("dropbear.log", "ip", "netns", "exec", NS, "unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                busyboxOnly("exec " + w("dropbear") + " -F -E -s -r " + w("db_host") + " -p " + HOST + ":2222 -P " + w("dropbear.pid")));
    }

    /** A shell line that hides the host's tools (mounts private to a new mount namespace), then runs {@code then}. */
    static String busyboxOnly(String then) {
        return "set -e; mount --bind " + w("bb") + " /usr/bin; /usr/bin/mount -t tmpfs none /usr/sbin; "
                + "/usr/bin/mount -o bind " + w("passwd") + " /etc/passwd; /usr/bin/mount -o bind " + w("home") + " /root; "
                + "PATH=/usr/bin:/bin; export PATH; " + then;
    }

    static void makeBusyboxDir(Path dir, Set<String> without) throws Exception {
        Files.createDirectories(dir);
        Files.copy(Path.of("/usr/bin/busybox"), dir.resolve("busybox"));
        for (String applet : Lab.run(T, "/usr/bin/busybox", "--list").out().split("\n")) {
            String a = applet.strip();
            if (a.isEmpty() || a.equals("busybox") || a.contains("/") || without.contains(a)) continue;
            Files.createSymbolicLink(dir.resolve(a), Path.of("busybox"));
        }
    }

    static Process start(String log, String... argv) throws Exception {
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (var s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(HOST, port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server on port " + port + " did not start: "
                + Files.readString(work.resolve(port == 22 ? "sshd.log" : port == 2200 ? "sshd-pw.log" : "dropbear.log")));
    }

    static String w(String name) {
        return work.resolve(name).toString();
    }

    static void stop(Process p) {
        if (p == null) return;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void down() {
        Lab.removeDevice(NS, LINK);
    }

    @AfterAll
    static void tearDown() throws Exception {
        stop(sshd);
        stop(sshdPassword);
        stop(dropbear);
        down();
        if (work != null) {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void normal() throws Exception {
        mode("normal");
    }

    static void mode(String m) throws Exception {
        Files.writeString(work.resolve("mode"), m + "\n");
    }

    /** Options with the per-run client key and a known_hosts that already holds the right key. */
    static SshOptions opts(int port) throws Exception {
        Path kh = Files.createTempFile(work, "kh", "");
        String pub = Files.readString(work.resolve(port == 22 ? "host_ecdsa.pub" : "db_host.pub")).strip();
        String[] f = pub.split(" ");
        Files.writeString(kh, new SshTarget("root", HOST, port).knownHostsName() + " " + f[0] + " " + f[1] + "\n");
        return SshOptions.of(List.of(work.resolve("client")), kh).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    static String fingerprint(String pubFile) {
        // ssh-keygen -lf FILE: "256 SHA256:xxxx comment (ECDSA)"
        return Lab.run(T, "ssh-keygen", "-lf", w(pubFile)).requireOk("ssh-keygen -lf").out().split(" ")[1];
    }

    static String nsId() throws Exception {
        return Lab.inNs(NS, T, "readlink", "/proc/self/ns/net").requireOk("readlink").out().strip();
    }

    @Test
    void opensshWithAKeyCollectsEverything() throws Exception {
        DeviceSnapshot s = SshCollector.collect(new SshTarget("root", HOST, 22), opts(22));
        CollectScriptTest.checkShape(s);
        assertThat(s.source()).isEqualTo("ssh://root@10.77.40.2:22");
        assertThat(s.first(DeviceSnapshot.KIND_IPTABLES_SAVE).orElseThrow().stdout()).contains("-A INPUT -p tcp -m tcp --dport 23 -j DROP");
        assertThat(s.first(DeviceSnapshot.KIND_IP6TABLES_SAVE).orElseThrow().stdout()).contains("--dport 23 -j DROP");
        assertThat(s.has(DeviceSnapshot.KIND_IPTABLES_LIST)).as("no fallback when -save exists").isFalse();
        // the device's own namespace comes first and its table shows sshd listening on 22, owned by sshd
        Capture tcp = s.first(DeviceSnapshot.KIND_PROC_NET_TCP).orElseThrow();
        assertThat(tcp.netns()).isEqualTo(nsId());
        String inode = listenInode(tcp.stdout(), 22);
        assertThat(s.first(DeviceSnapshot.KIND_SOCKET_OWNERS).orElseThrow().stdout().lines()
                .filter(l -> l.split("\t").length >= 7 && l.split("\t")[1].equals(inode))).anyMatch(l -> l.split("\t")[4].equals("sshd"));
    }

    @Test
    void overIpv6TheTargetAndTheKnownHostsEntryUseBrackets() throws Exception {
        SshTarget t = SshTarget.parse("root@[" + HOST6 + "]:22", "nobody");
        Path kh = Files.createTempFile(work, "kh6", "");
        String[] f = Files.readString(work.resolve("host_ecdsa.pub")).strip().split(" ");
        Files.writeString(kh, t.knownHostsName() + " " + f[0] + " " + f[1] + "\n");
        DeviceSnapshot s = SshCollector.collect(t, SshOptions.of(List.of(work.resolve("client")), kh)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20)));
        assertThat(s.source()).isEqualTo("ssh://root@[" + HOST6 + "]:22");
        assertThat(s.first(DeviceSnapshot.KIND_IP6TABLES_SAVE).orElseThrow().stdout()).contains("--dport 23 -j DROP");
        // the session really came over IPv6: sshd's listening socket on the v6 address is in tcp6
        String tcp6 = s.first(DeviceSnapshot.KIND_PROC_NET_TCP6).orElseThrow().stdout();
        assertThat(tcp6.lines().anyMatch(l -> l.contains(":0016 ") && l.contains(" 01 "))).as("an established v6 session to port 22").isTrue();
    }

    /** A known_hosts file that knows OpenSSH's ECDSA host key under {@code [HOST]:port}. */
    static Path knownHostsFor(int port) throws Exception {
        Path kh = Files.createTempFile(work, "kh", "");
        String[] f = Files.readString(work.resolve("host_ecdsa.pub")).strip().split(" ");
        Files.writeString(kh, new SshTarget("root", HOST, port).knownHostsName() + " " + f[0] + " " + f[1] + "\n");
        return kh;
    }

    /** Options for the password-only sshd on :2200 that answer {@code password} and count the asks in {@code asked[0]}. */
    static SshOptions passwordOptions(String password, int[] asked) throws Exception {
        return SshOptions.of(List.of(), knownHostsFor(2200)).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
                .withPassword(() -> {
                    asked[0]++;
                    return password.toCharArray();
                });
    }

    @Test
    void aPasswordIsAskedOnceAndLogsIn() throws Exception {
        int[] asked = {0};
        DeviceSnapshot s = SshCollector.collect(new SshTarget("root", HOST, 2200), passwordOptions(ROOT_PASSWORD, asked));
        assertThat(s.has(DeviceSnapshot.KIND_UNAME)).isTrue();
        assertThat(s.first(DeviceSnapshot.KIND_IPTABLES_SAVE).orElseThrow().stdout()).contains("--dport 23 -j DROP");
        assertThat(asked[0]).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsAskedOnceAndFailsClearly() throws Exception {
        int[] asked = {0};
        SshOptions o = passwordOptions("not-the-password", asked);
        assertThatThrownBy(() -> SshCollector.collect(new SshTarget("root", HOST, 2200), o))
                .isInstanceOf(CollectException.class).hasMessageContaining("authentication failed");
        assertThat(asked[0]).isEqualTo(1);
    }

    @Test
    void anEncryptedKeyIsUnlockedWithItsPassphraseAskedOnce() throws Exception {
        List<Path> asked = new ArrayList<>();
        Path key = work.resolve("client_enc");
        SshOptions o = SshOptions.of(List.of(key), knownHostsFor(22)).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
                .withPassphrase(k -> {
                    asked.add(k);
                    return KEY_PASSPHRASE.toCharArray();
                });
        assertThat(SshCollector.collect(new SshTarget("root", HOST, 22), o).has(DeviceSnapshot.KIND_UNAME)).isTrue();
        assertThat(asked).containsExactly(key);
        // not on a terminal (no one to ask): the key cannot be used, and the refusal names it
        SshOptions noTty = SshOptions.of(List.of(key), knownHostsFor(22)).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThatThrownBy(() -> SshCollector.collect(new SshTarget("root", HOST, 22), noTty))
                .isInstanceOf(CollectException.class).hasMessageContaining("authentication failed").hasMessageContaining(key.toString());
    }

    static String listenInode(String table, int port) {
        String hex = String.format(":%04X", port);
        return table.lines().map(String::strip).map(l -> l.split("\\s+"))
                .filter(f -> f.length > 9 && f[1].endsWith(hex) && f[3].equals("0A")).map(f -> f[9]).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"host_ecdsa.pub", "host_ed25519.pub"})
    void theKeyTypeOnRecordIsTheOneAskedFor(String recorded) throws Exception {
        // sshd has an ECDSA and an Ed25519 host key; known_hosts holds one of them: that one is negotiated,
        // the other is neither "unknown" nor "changed" (as OpenSSH's client does)
        Path kh = work.resolve("kh-" + recorded);
        String[] f = Files.readString(work.resolve(recorded)).strip().split(" ");
        Files.writeString(kh, HOST + " " + f[0] + " " + f[1] + "\n");
        SshOptions o = SshOptions.of(List.of(work.resolve("client_ed25519")), kh);
        DeviceSnapshot s = SshCollector.collect(new SshTarget("root", HOST, 22), o);
        assertThat(s.has(DeviceSnapshot.KIND_UNAME)).isTrue();
        assertThat(Files.readString(kh)).isEqualTo(HOST + " " + f[0] + " " + f[1] + "\n");
    }

    @Test
    void aHashedKnownHostsFileIsUnderstood() throws Exception {
        SshOptions o = opts(2222);
        Lab.run(T, "ssh-keygen", "-H", "-f", o.knownHosts().toString()).requireOk("ssh-keygen -H");
        assertThat(Files.readString(o.knownHosts())).startsWith("|1|").doesNotContain(HOST);
        assertThat(SshCollector.collect(new SshTarget("root", HOST, 2222), o).has(DeviceSnapshot.KIND_UNAME)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {22, 2222})
    void anUnknownHostKeyIsRefusedWithItsFingerprintAndRecordedOnlyOnRequest(int port) throws Exception {
        Path kh = work.resolve("fresh-" + port + "/known_hosts");
        SshOptions o = SshOptions.of(List.of(work.resolve("client")), kh).withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20));
        SshTarget t = new SshTarget("root", HOST, port);
        List<String> offered = port == 22 ? List.of(fingerprint("host_ecdsa.pub"), fingerprint("host_ed25519.pub"))
                : List.of(fingerprint("db_host.pub"));
        // no known_hosts file at all: refused before connecting, the file named (not "key not known")
        assertThatThrownBy(() -> SshCollector.collect(t, o)).isInstanceOf(CollectException.class).isNotInstanceOf(HostKeyException.class)
                .hasMessageContaining(kh + " does not exist");
        Files.createDirectories(kh.getParent());
        Files.writeString(kh, "");
        assertThatThrownBy(() -> SshCollector.collect(t, o)).isInstanceOfSatisfying(HostKeyException.class, e -> {
            assertThat(e.changed()).isFalse();
            assertThat(e.fingerprint()).isIn(offered);
            assertThat(e.getMessage()).contains("is not known", e.fingerprint(), "--accept-new-host-key");
        });
        assertThat(Files.readString(kh)).isEmpty();
        Files.delete(kh);   // --accept-new-host-key creates the file

        DeviceSnapshot s = SshCollector.collect(t, o.withAcceptNewHostKey(true));
        assertThat(s.captures()).isNotEmpty();
        String recorded = Files.readString(kh);
        assertThat(recorded).matches(java.util.regex.Pattern.quote(t.knownHostsName()) + " (ecdsa-sha2-nistp256|ssh-ed25519) \\S+\n");
        // recorded: the next strict run connects
        assertThat(SshCollector.collect(t, o).captures()).isNotEmpty();
        assertThat(Files.readString(kh)).isEqualTo(recorded);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aChangedHostKeyIsRefusedLoudlyEvenWithAcceptNew(boolean acceptNew) throws Exception {
        Path kh = work.resolve("changed-" + acceptNew);
        String[] other = Files.readString(work.resolve("other_ecdsa.pub")).strip().split(" ");
        String line = HOST + " " + other[0] + " " + other[1] + "\n";
        Files.writeString(kh, line);
        SshOptions o = SshOptions.of(List.of(work.resolve("client")), kh).withAcceptNewHostKey(acceptNew);
        assertThatThrownBy(() -> SshCollector.collect(new SshTarget("root", HOST, 22), o)).isInstanceOfSatisfying(HostKeyException.class, e -> {
            assertThat(e.changed()).isTrue();
            assertThat(e.fingerprint()).isEqualTo(fingerprint("host_ecdsa.pub"));
            assertThat(e.getMessage()).contains("HAS CHANGED", fingerprint("other_ecdsa.pub"), "man in the middle");
        });
        assertThat(Files.readString(kh)).isEqualTo(line);
    }

    @ParameterizedTest
    @ValueSource(ints = {22, 2222})
    void aStalledCommandIsCutAndTheRestKept(int port) throws Exception {
        mode("stall");
        Duration commandTimeout = Duration.ofSeconds(2);
        SshOptions o = opts(port).withTimeouts(Duration.ofSeconds(10), commandTimeout);
        long t0 = System.nanoTime();
        DeviceSnapshot s = SshCollector.collect(new SshTarget("root", HOST, port), o);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        // iptables-save stalls STALL (60 x the command timeout) on the device: unbounded, the collection would take longer
        // than that; cut at the timeout, it takes the timeout plus the other commands, however slow a loaded machine makes
        // them: half the stall leaves them 28 x the timeout and still fails when the stall is waited out
        assertThat(took).as("bounded by the %d s command timeout, not the %d s stall", commandTimeout.toSeconds(), STALL.toSeconds())
                .isLessThan(STALL.dividedBy(2));
        assertThat(s.partial()).isTrue();
        Capture ipt = s.first(DeviceSnapshot.KIND_IPTABLES_SAVE).orElseThrow();
        assertThat(ipt.truncated()).isTrue();
        assertThat(ipt.exitStatus()).isNull();
        assertThat(ipt.stderr()).contains("timed out after 2 s");
        // what came after the stall is there
        assertThat(s.has(DeviceSnapshot.KIND_SOCKET_OWNERS)).isTrue();
        assertThat(s.has(DeviceSnapshot.KIND_PROC_NET_TCP)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {22, 2222})
    void aDroppedConnectionKeepsWhatWasCollected(int port) throws Exception {
        mode("drop");
        long t0 = System.nanoTime();
        DeviceSnapshot s = SshCollector.collect(new SshTarget("root", HOST, port), opts(port));
        assertThat((System.nanoTime() - t0) / 1_000_000_000L).as("no waiting on a dead connection").isLessThan(30);
        assertThat(s.partial()).isTrue();
        assertThat(s.first(DeviceSnapshot.KIND_UNAME).orElseThrow().stdout()).startsWith("Linux");
        assertThat(s.has(DeviceSnapshot.KIND_SOCKET_OWNERS)).isFalse();
        assertThat(s.notes()).anyMatch(n -> n.contains("connection to the device was lost"));
    }

    @Test
    void theBusyboxOnlyDeviceOverDropbearReadsProcInstead() throws Exception {
        DeviceSnapshot s = SshCollector.collect(new SshTarget("root", HOST, 2222), opts(2222));
        CollectScriptTest.checkShape(s);
        assertThat(s.has(DeviceSnapshot.KIND_IPTABLES_SAVE)).isFalse();
        assertThat(s.has(DeviceSnapshot.KIND_NFT_JSON)).isFalse();
        assertThat(s.has(DeviceSnapshot.KIND_SS)).isFalse();
        assertThat(s.has(DeviceSnapshot.KIND_NETSTAT)).isFalse();
        assertThat(s.notes()).anyMatch(n -> n.startsWith("iptables-save is not available"))
                .anyMatch(n -> n.startsWith("iptables is not available"))
                .anyMatch(n -> n.startsWith("nft is not available"))
                .anyMatch(n -> n.startsWith("netstat is not available"));
        assertThat(s.first(DeviceSnapshot.KIND_PROC_NET_FIB_TRIE).orElseThrow().stdout()).contains("10.77.40.2");
        assertThat(s.has(DeviceSnapshot.KIND_PROC_NET_IF_INET6)).isTrue();
        assertThat(s.first(DeviceSnapshot.KIND_UNAME).orElseThrow().stdout()).startsWith("Linux");
        Capture tcp = s.first(DeviceSnapshot.KIND_PROC_NET_TCP).orElseThrow();
        String inode = listenInode(tcp.stdout(), 2222);
        assertThat(s.first(DeviceSnapshot.KIND_SOCKET_OWNERS).orElseThrow().stdout().lines()
                .filter(l -> l.split("\t").length >= 7 && l.split("\t")[1].equals(inode))).anyMatch(l -> l.split("\t")[4].equals("dropbear"));
    }

    @Test
    void anAgentKeyIsUsed() throws Exception {
        Path sock = work.resolve("agent.sock");
        Process agent = start("agent.log", "ssh-agent", "-D", "-a", sock.toString());
        try {
            for (int i = 0; i < 50 && !Files.exists(sock); i++) Thread.sleep(100);
            ProcessBuilder pb = new ProcessBuilder("ssh-add", w("client")).redirectErrorStream(true);
            pb.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process add = pb.start();
            assertThat(add.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(add.exitValue()).isZero();
            SshOptions keyed = opts(22);
            SshOptions o = SshOptions.of(List.of(), keyed.knownHosts()).withAgent(sock);
            assertThat(SshCollector.collect(new SshTarget("root", HOST, 22), o).has(DeviceSnapshot.KIND_UNAME)).isTrue();
            SshOptions none = SshOptions.of(List.of(), keyed.knownHosts());
            assertThatThrownBy(() -> SshCollector.collect(new SshTarget("root", HOST, 22), none))
                    .isInstanceOf(CollectException.class).hasMessageContaining("authentication failed");
        } finally {
            stop(agent);
        }
    }

    /** Runs the collect script on the device: busybox-only (PATH and mounts) or with the host's tools. */
    static DeviceSnapshot scriptOnDevice(String shell, boolean busyboxOnly) throws Exception {
        Path script = work.resolve("collect.sh");
        Files.writeString(script, CollectScript.text(), StandardCharsets.UTF_8);
        Path out = work.resolve("bundle-" + shell + "-" + busyboxOnly + ".tar.gz");
        Files.deleteIfExists(out);
        String sh = shell.equals("dash") ? w("dash") : "/usr/bin/sh";
        Lab.Result r;
        if (busyboxOnly) {
            r = Lab.inNs(NS, Duration.ofSeconds(120), "unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                    busyboxOnly("cd " + work + " && TMPDIR=" + work + " " + sh + " " + script + " " + out));
        } else {
            List<String> argv = new ArrayList<>(List.of("env", "TMPDIR=" + work));
            argv.addAll(shell.equals("dash") ? List.of("/usr/bin/dash") : List.of("/usr/bin/busybox", "sh"));
            argv.add(script.toString());
            argv.add(out.toString());
            r = Lab.inNs(NS, Duration.ofSeconds(120), argv.toArray(String[]::new));
        }
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        return Bundle.read(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "dash"})
    void theScriptOnTheBusyboxOnlyDeviceGivesTheSameListenerTextsAsSsh(String shell) throws Exception {
        DeviceSnapshot bundle = scriptOnDevice(shell, true);
        CollectScriptTest.checkShape(bundle);
        assertThat(bundle.has(DeviceSnapshot.KIND_IPTABLES_SAVE)).isFalse();
        DeviceSnapshot ssh = SshCollector.collect(new SshTarget("root", HOST, 2222), opts(2222));
        assertSameListenerTexts(bundle, ssh);
        assertThat(kindsWithoutNotes(bundle)).isEqualTo(kindsWithoutNotes(ssh));
    }

    @Test
    void theScriptWithGnuToolsGivesTheSameFirewallTextsAsOpenSsh() throws Exception {
        DeviceSnapshot bundle = scriptOnDevice("dash", false);
        DeviceSnapshot ssh = SshCollector.collect(new SshTarget("root", HOST, 22), opts(22));
        for (String k : List.of(DeviceSnapshot.KIND_IPTABLES_SAVE, DeviceSnapshot.KIND_IP6TABLES_SAVE, DeviceSnapshot.KIND_NFT_JSON)) {
            assertThat(firewall(bundle, k)).as(k).isEqualTo(firewall(ssh, k)).isNotEmpty();
        }
        assertSameListenerTexts(bundle, ssh);
    }

    static Set<String> kindsWithoutNotes(DeviceSnapshot s) {
        return s.captures().stream().map(Capture::kind).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Firewall text without the time comments and the packet counters that traffic changes. */
    static String firewall(DeviceSnapshot s, String kind) {
        return s.first(kind).orElseThrow().stdout().lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\[[0-9]+:[0-9]+\\]", "[0:0]")).collect(Collectors.joining("\n"));
    }

    /** Same namespaces; the same LISTEN rows in each; the same owner lines for the listening inodes of pa-rmt1. */
    static void assertSameListenerTexts(DeviceSnapshot a, DeviceSnapshot b) throws Exception {
        // only our own device's namespace: other people's lab namespaces come and go between the two collections
        String ns = nsId();
        for (String[] t : CaptureCommands.PROC_NET_TABLES) {
            assertThat(listening(a, t[0], ns)).as(t[0]).isEqualTo(listening(b, t[0], ns));
        }
        assertThat(listening(a, DeviceSnapshot.KIND_PROC_NET_TCP, ns)).isNotEmpty();
        List<String> inodes = new ArrayList<>();
        for (Capture c : a.all(DeviceSnapshot.KIND_PROC_NET_TCP)) {
            if (!ns.equals(c.netns())) continue;
            c.stdout().lines().skip(1).map(String::strip).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 9 && f[3].equals("0A")).forEach(f -> inodes.add(f[9]));
        }
        assertThat(inodes).isNotEmpty();
        for (String inode : inodes) {
            assertThat(owners(a, inode)).as("owners of " + inode).isEqualTo(owners(b, inode)).isNotEmpty();
        }
        // and the listener view built from each is the same: address, port, reach, owners
        assertThat(view(a, ns)).isEqualTo(view(b, ns)).isNotEmpty();
    }

    static List<String> view(DeviceSnapshot s, String ns) {
        return io.portaudit.inventory.Inventory.fromSnapshot(s, io.portaudit.model.ServiceNames.iana(), new io.portaudit.model.Problems())
                .stream().filter(l -> ns.equals(l.netns()))
                .map(l -> l.protocol() + " " + l.family() + " " + l.address() + ":" + l.port() + " " + l.scope() + " "
                        + l.owners().stream().map(o -> o.pid() + "/" + o.comm() + "/" + o.cmdline() + "/" + o.user()).sorted().toList())
                .sorted().toList();
    }

    static Set<String> listening(DeviceSnapshot s, String kind, String ns) {
        Set<String> rows = new TreeSet<>();
        for (Capture c : s.all(kind)) {
            if (!ns.equals(c.netns())) continue;
            c.stdout().lines().skip(1).map(String::strip).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 9 && (kind.contains("udp") ? f[2].endsWith(":0000") : f[3].equals("0A")))
                    .filter(f -> !kind.contains("udp") || f[3].equals("07"))
                    .forEach(f -> rows.add(c.netns() + " " + f[1] + " " + f[3] + " " + f[9]));
        }
        return rows;
    }

    static List<String> owners(DeviceSnapshot s, String inode) {
        return s.first(DeviceSnapshot.KIND_SOCKET_OWNERS).orElseThrow().stdout().lines()
                .filter(l -> l.split("\t").length >= 7 && l.split("\t")[1].equals(inode)).sorted().toList();
    }
}
