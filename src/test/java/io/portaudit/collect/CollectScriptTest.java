package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs the collect script on this machine under dash and busybox sh and reads its bundle back. */
class CollectScriptTest {
    @TempDir
    Path dir;

    static Path tool(String name) {
        for (String d : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Runs the script with {@code shell}; returns the bundle path. */
    static Path runScript(Path dir, List<String> shell, Map<String, String> env, String outName) throws Exception {
        Path script = dir.resolve("collect.sh");
        Files.writeString(script, CollectScript.text(), StandardCharsets.UTF_8);
        Path out = dir.resolve(outName);
        List<String> argv = new ArrayList<>(shell);
        argv.add(script.toString());
        argv.add(out.toString());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("script.log").toFile());
        pb.environment().put("TMPDIR", dir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("script finished in time").isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("script.log"))).isZero();
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"dash,tar", "busybox,tar", "dash,text", "busybox,text"})
    void theScriptWritesABundleThatReadsBack(String shell, String form) throws Exception {
        Path sh = tool(shell);
        io.portaudit.lab.LabExtension.require(sh != null, shell + " (apt-get install dash busybox)");
        List<String> cmd = shell.equals("busybox") ? List.of(sh.toString(), "sh") : List.of(sh.toString());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path bundle = runScript(dir, cmd, form.equals("text") ? Map.of("PORTAUDIT_BUNDLE", "text") : Map.of(), "b.out");
            byte[] head = Files.readAllBytes(bundle);
            if (form.equals("text")) assertThat(new String(head, 0, 22, StandardCharsets.ISO_8859_1)).isEqualTo("portaudit-bundle-text\t");
            else assertThat(head[0] & 0xff).isEqualTo(0x1f);
            DeviceSnapshot s = Bundle.read(bundle);
            checkShape(s);
            // our own listening socket: in the tcp table of our netns, with us as its owner, as LocalCollector says
            String port = String.format("%04X", listener.getLocalPort());
            String selfNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            // Java listens on a dual-stack socket: the row is in tcp6 (::ffff:127.0.0.1) or in tcp
            String row = s.captures().stream()
                    .filter(c -> c.kind().startsWith("proc-net-tcp") && selfNs.equals(c.netns()))
                    .flatMap(c -> c.stdout().lines())
                    .filter(l -> l.contains("0100007F:" + port + " ") && l.strip().split("\\s+")[3].equals("0A"))
                    .findFirst().orElseThrow();
            String inode = row.strip().split("\\s+")[9];
            String pid = String.valueOf(ProcessHandle.current().pid());
            String owners = s.first(DeviceSnapshot.KIND_SOCKET_OWNERS).orElseThrow().stdout();
            String line = owners.lines().filter(l -> l.startsWith(pid + "\t" + inode + "\t")).findFirst().orElseThrow();
            String javaLine = LocalCollector.socketOwners(Path.of("/proc")).lines()
                    .filter(l -> l.startsWith(pid + "\t" + inode + "\t")).findFirst().orElseThrow();
            assertThat(line).isEqualTo(javaLine);
            assertThat(line.split("\t")[3]).isEqualTo(selfNs);
        }
    }

    /** What every snapshot (local, SSH, bundle) must hold. */
    static void checkShape(DeviceSnapshot s) {
        assertThat(s.partial()).as(s.notes().toString()).isFalse();
        for (String k : List.of(DeviceSnapshot.KIND_UNAME, DeviceSnapshot.KIND_OS_RELEASE, DeviceSnapshot.KIND_BINDV6ONLY,
                DeviceSnapshot.KIND_PROC_NET_TCP, DeviceSnapshot.KIND_PROC_NET_TCP6, DeviceSnapshot.KIND_PROC_NET_UDP,
                DeviceSnapshot.KIND_PROC_NET_UDP6, DeviceSnapshot.KIND_SOCKET_OWNERS)) {
            assertThat(s.has(k)).as(k).isTrue();
        }
        assertThat(s.first(DeviceSnapshot.KIND_UNAME).orElseThrow().stdout()).startsWith("Linux ");
        for (String k : List.of(DeviceSnapshot.KIND_PROC_NET_TCP, DeviceSnapshot.KIND_PROC_NET_UDP6)) {
            for (Capture c : s.all(k)) {
                assertThat(c.netns()).as("netns of " + c.command()).matches("net:\\[[0-9]+\\]");
                // a namespace whose only process exited between listing and reading: kept as a failed capture
                if (c.exitStatus() != null && c.exitStatus() != 0) continue;
                assertThat(c.stdout()).startsWith(k.endsWith("tcp") ? "  sl  local_address" : "  sl  local_address");
            }
        }
        // one capture per namespace and table: no namespace twice
        assertThat(s.all(DeviceSnapshot.KIND_PROC_NET_TCP).stream().map(Capture::netns).distinct().count())
                .isEqualTo(s.all(DeviceSnapshot.KIND_PROC_NET_TCP).size());
        String owners = s.first(DeviceSnapshot.KIND_SOCKET_OWNERS).orElseThrow().stdout();
        assertThat(owners.lines().filter(l -> !l.startsWith("#")).count()).isPositive();
        owners.lines().filter(l -> !l.startsWith("#")).forEach(l -> {
            String[] f = l.split("\t", -1);
            assertThat(f).as(l).hasSize(9);
            assertThat(f[0]).matches("[0-9]+");
            assertThat(f[1]).matches("[0-9]+");
            assertThat(f[2]).matches("[0-9]+|-");
            assertThat(f[3]).matches("net:\\[[0-9]+\\]|-");
            for (String x : f) assertThat(x).isNotEmpty();
        });
        for (Capture c : s.captures()) {
            assertThat(c.command()).isNotBlank();
            assertThat(c.collectedAt()).isNotNull();
        }
    }

    @ParameterizedTest
    @CsvSource({"dash", "busybox"})
    void aHangingToolIsEndedByTheWatchdogAndTheRestCollected(String shell) throws Exception {
        Path sh = tool(shell);
        io.portaudit.lab.LabExtension.require(sh != null, shell);
        Path fake = dir.resolve("fakebin");
        Files.createDirectories(fake);
        Path hang = fake.resolve("iptables-save");
        Files.writeString(hang, "#!/bin/sh\necho '*filter'\nsleep 30\necho never\n");
        hang.toFile().setExecutable(true);
        List<String> cmd = shell.equals("busybox") ? List.of(sh.toString(), "sh") : List.of(sh.toString());
        long t0 = System.nanoTime();
        Path bundle = runScript(dir, cmd, Map.of("PORTAUDIT_TIMEOUT", "2", "PATH", fake + ":" + System.getenv("PATH")), "b.tgz");
        assertThat((System.nanoTime() - t0) / 1_000_000_000L).as("bounded by the 2 s watchdog, not the 30 s hang").isLessThan(25);
        DeviceSnapshot s = Bundle.read(bundle);
        Capture ipt = s.first(DeviceSnapshot.KIND_IPTABLES_SAVE).orElseThrow();
        assertThat(ipt.truncated()).isTrue();
        assertThat(ipt.exitStatus()).isNull();
        assertThat(ipt.stdout()).isEqualTo("*filter\n");
        assertThat(ipt.stderr()).contains("timed out after 2 s");
        assertThat(s.partial()).isTrue();
        assertThat(s.has(DeviceSnapshot.KIND_SOCKET_OWNERS)).isTrue();
        assertThat(s.has(DeviceSnapshot.KIND_IP6TABLES_SAVE)).isTrue();
    }

    @Test
    void theScriptIsPosix() throws Exception {
        String text = CollectScript.text();
        assertThat(text).startsWith("#!/bin/sh\n").doesNotContain("[[").doesNotContain("function ").doesNotContain("local ")
                .doesNotContain("$RANDOM").doesNotContain("<<<");
        for (String shell : List.of("dash", "busybox")) {
            Path sh = tool(shell);
            if (sh == null) continue;
            Path script = dir.resolve("c.sh");
            Files.writeString(script, text);
            List<String> argv = new ArrayList<>(shell.equals("busybox") ? List.of(sh.toString(), "sh", "-n") : List.of(sh.toString(), "-n"));
            argv.add(script.toString());
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(shell + ": " + new String(p.getInputStream().readAllBytes())).isZero();
        }
    }
}
