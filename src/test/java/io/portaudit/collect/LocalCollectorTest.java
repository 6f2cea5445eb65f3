package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalCollector on a fake /proc: per-netns tables and the socket-owner table, exactly. */
class LocalCollectorTest {
    @TempDir
    Path proc;

    private void process(int pid, String netns, String comm, String cmdline, String uidLine, String cgroup, String... fdTargets) throws Exception {
        Path p = proc.resolve(String.valueOf(pid));
        Files.createDirectories(p.resolve("fd"));
        Files.createDirectories(p.resolve("ns"));
        Files.createDirectories(p.resolve("net"));
        Files.createSymbolicLink(p.resolve("ns/net"), Path.of(netns));
        Files.writeString(p.resolve("comm"), comm + "\n");
        Files.write(p.resolve("cmdline"), cmdline.getBytes(StandardCharsets.UTF_8));
        Files.writeString(p.resolve("status"), "Name:\t" + comm + "\n" + uidLine + "\nGid:\t0\t0\t0\t0\n");
        Files.writeString(p.resolve("cgroup"), cgroup);
        for (int i = 0; i < fdTargets.length; i++) Files.createSymbolicLink(p.resolve("fd/" + i), Path.of(fdTargets[i]));
        Files.writeString(p.resolve("net/tcp"), "tcp of " + netns + "\n");
        Files.writeString(p.resolve("net/udp"), "udp of " + netns + "\n");
    }

    @Test
    void collectsEveryNamespaceOnceAndTheOwnerTable() throws Exception {
        process(1, "net:[100]", "init", "/sbin/init\0", "Uid:\t0\t0\t0\t0", "0::/init.scope\n", "/dev/null");
        process(20, "net:[100]", "lighttpd", "/usr/sbin/lighttpd\0-f\0/etc/lighttpd.conf\0", "Uid:\t33\t33\t33\t33",
                "1:name=x:/a\n0::/system.slice/lighttpd.service\n", "socket:[555]", "socket:[4444]", "socket:[555]", "pipe:[9]");
        process(300, "net:[200]", "app\tx", "python3\0-c\0print(1)\n\tx\0", "Uid:\t1000\t1000\t1000\t1000", "", "socket:[777]");
        Files.createDirectories(proc.resolve("self/ns"));
        Files.createSymbolicLink(proc.resolve("self/ns/net"), Path.of("net:[100]"));
        Files.createDirectories(proc.resolve("self/net"));
        Files.writeString(proc.resolve("self/net/tcp"), "tcp of self\n");
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/hostname"), "dev\n");

        String owners = LocalCollector.socketOwners(proc);
        assertThat(owners).isEqualTo(
                // pid and inode in numeric order; no exe link and no stat in this fake: '-'
                "20\t555\t33\tnet:[100]\tlighttpd\t/usr/sbin/lighttpd -f /etc/lighttpd.conf\t0::/system.slice/lighttpd.service\t-\t-\n"
                + "20\t4444\t33\tnet:[100]\tlighttpd\t/usr/sbin/lighttpd -f /etc/lighttpd.conf\t0::/system.slice/lighttpd.service\t-\t-\n"
                + "300\t777\t1000\tnet:[200]\tapp x\tpython3 -c print(1)  x\t-\t-\t-\n");

        Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        DeviceSnapshot s = new LocalCollector(clock, new CommandRunner(), proc).collect();
        assertThat(s.host()).isEqualTo("dev");
        assertThat(s.all(DeviceSnapshot.KIND_PROC_NET_TCP)).extracting(Capture::netns, Capture::stdout)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("net:[100]", "tcp of self\n"),
                        org.assertj.core.groups.Tuple.tuple("net:[200]", "tcp of net:[200]\n"));
        assertThat(s.all(DeviceSnapshot.KIND_PROC_NET_UDP)).extracting(Capture::netns).containsExactly("net:[200]");
        assertThat(s.first(DeviceSnapshot.KIND_SOCKET_OWNERS).orElseThrow().stdout()).isEqualTo(owners);
        assertThat(s.first(DeviceSnapshot.KIND_SOCKET_OWNERS).orElseThrow().collectedAt()).isEqualTo(clock.instant());
        assertThat(s.notes()).anyMatch(n -> n.contains("self/net/udp"));
    }
}
