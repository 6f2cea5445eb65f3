package io.portaudit.inventory;

import static io.portaudit.inventory.Fixtures.capture;
import static io.portaudit.inventory.Fixtures.keys;
import static io.portaudit.inventory.Fixtures.read;
import static io.portaudit.inventory.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryTextTest {
    private static final ServiceNames NAMES = ServiceNames.iana();

    /** The ground truth of the captured namespace, from its /proc/net tables. */
    private static Set<String> truth() {
        Problems p = new Problems();
        List<Listener> ls = Inventory.fromSnapshot(snapshot(
                capture(DeviceSnapshot.KIND_PROC_NET_TCP, "captured/proc-net-tcp.txt"),
                capture(DeviceSnapshot.KIND_PROC_NET_TCP6, "captured/proc-net-tcp6.txt"),
                capture(DeviceSnapshot.KIND_PROC_NET_UDP, "captured/proc-net-udp.txt"),
                capture(DeviceSnapshot.KIND_PROC_NET_UDP6, "captured/proc-net-udp6.txt")), NAMES, p);
        assertThat(p.list()).isEmpty();
        return keys(ls);
    }

    @Test
    void procTablesOfTheCapturedNamespace() {
        assertThat(truth()).containsExactly("tcp 0.0.0.0 21", "tcp 0.0.0.0 6000", "tcp 0.0.0.0 8080", "tcp 10.77.20.2 23",
                "tcp 127.0.0.1 631", "tcp :: 6000", "tcp :: 80", "tcp ::1 25", "tcp fd77:20::1234:5678:9abc:def0 8443",
                "tcp fe80::20:2 2222", "udp 0.0.0.0 5353", "udp :: 5353");
    }

    @Test
    void seed440NamesEveryPortTheArticleShowsAndX11OnIpv6() {
        Problems p = new Problems();
        List<Listener> ls = Inventory.fromSnapshot(snapshot(capture(DeviceSnapshot.KIND_NETSTAT, "seed-440-netstat-a.txt")), NAMES, p);
        assertThat(p.list()).isEmpty();
        assertThat(keys(ls)).containsExactly("tcp 0.0.0.0 21", "tcp 0.0.0.0 23", "tcp 0.0.0.0 6000", "tcp 0.0.0.0 80",
                "tcp :: 6000", "udp 0.0.0.0 5353", "udp :: 5353");
        Listener x11v6 = ls.stream().filter(l -> l.port() == 6000 && l.family() == AddressFamily.IPV6).findFirst().orElseThrow();
        // busybox printed "tcp" for it: the family comes from the address
        assertThat(x11v6.protocol()).isEqualTo(Protocol.TCP);
        // 0.0.0.0:6000 exists too, so this :: cannot be dual-stack on Linux
        assertThat(x11v6.dualStack()).isFalse();
        assertThat(x11v6.scope()).isEqualTo(BindScope.ALL);
        assertThat(x11v6.note()).contains("refuses", "dual-stack").doesNotContain("unknown");
        assertThat(x11v6.source()).isEqualTo("seed-440-netstat-a.txt:8");
    }

    @Test
    void seedG3WithoutV4TwinIsUnknownHenceCountedDualStack() {
        Problems p = new Problems();
        List<Listener> ls = Inventory.fromSnapshot(snapshot(capture(DeviceSnapshot.KIND_NETSTAT, "seed-g3-netstat-a.txt")), NAMES, p);
        assertThat(p.list()).isEmpty();
        assertThat(keys(ls)).containsExactly("tcp 0.0.0.0 80", "tcp :: 80", "udp 0.0.0.0 38848", "udp 0.0.0.0 5353",
                "udp :: 36247", "udp :: 5353");
        Listener v6udp = ls.stream().filter(l -> l.port() == 36247).findFirst().orElseThrow();
        assertThat(v6udp.dualStack()).isNull();
        assertThat(v6udp.scope()).isEqualTo(BindScope.ALL_PLUS_IPV4);
        assertThat(v6udp.note()).contains("assumed to take IPv4 too", "bindv6only=0");
    }

    @ParameterizedTest
    @CsvSource({
        "captured/netstat-an.txt, netstat", "captured/netstat-tulpnW.txt, netstat", "captured/ss-tulpn.txt, ss",
        "captured/ss-tulpnH.txt, ss", "captured/busybox-netstat-tuln.txt, netstat", "captured/busybox-netstat-a.txt, netstat",
        "captured/proc-net-tcp6.txt, proc-net-tcp", "captured/proc-net-udp.txt, proc-net-udp",
        "seed-440-netstat-a.txt, netstat", "busybox-netstat-tulpn.txt, netstat"})
    void detectsTheFormatFromContent(String file, String kind) {
        assertThat(InventoryFormat.detect(read(file))).contains(kind);
    }

    @ParameterizedTest
    @CsvSource({"captured/netstat-tulpnW.txt", "captured/ss-tulpn.txt", "captured/ss-tulpnH.txt",
        "captured/busybox-netstat-tuln.txt", "captured/busybox-netstat-a.txt"})
    void everyNumericCaptureAgreesWithTheKernelTables(String file) {
        Problems p = new Problems();
        List<Listener> ls = InventoryText.parse(file, read(file), NAMES, p);
        assertThat(p.hasErrors()).isFalse();
        assertThat(p.list()).allSatisfy(pp -> assertThat(pp.message()).contains("may be cut"));
        assertThat(keys(ls)).isEqualTo(truth());
    }

    @Test
    void ssLtnpeIsTcpOnlyAndTellsV6onlyAndInode() {
        Problems p = new Problems();
        List<Listener> ls = InventoryText.parse("ss-ltnpe.txt", read("captured/ss-ltnpe.txt"), NAMES, p);
        assertThat(p.list()).isEmpty();
        Set<String> tcp = new TreeSet<>(truth());
        tcp.removeIf(k -> k.startsWith("udp"));
        assertThat(keys(ls)).isEqualTo(tcp);
        Listener any80 = ls.stream().filter(l -> l.port() == 80).findFirst().orElseThrow();
        assertThat(any80.dualStack()).isTrue();
        assertThat(any80.inode()).isPositive();
        Listener v6only = ls.stream().filter(l -> l.port() == 6000 && l.family() == AddressFamily.IPV6).findFirst().orElseThrow();
        assertThat(v6only.dualStack()).isFalse();
        assertThat(v6only.note()).contains("v6only:1");
        Listener ll = ls.stream().filter(l -> l.port() == 2222).findFirst().orElseThrow();
        assertThat(ll.iface()).isEqualTo("dummy0");
        assertThat(ll.scope()).isEqualTo(BindScope.LINK_LOCAL);
    }

    @Test
    void ssSharedSocketListsEveryOwner() {
        Problems p = new Problems();
        List<Listener> ls = InventoryText.parse("ss", read("captured/ss-tulpn.txt"), NAMES, p);
        Listener shared = ls.stream().filter(l -> l.port() == 8080).findFirst().orElseThrow();
        assertThat(shared.owners()).hasSize(2).allSatisfy(o -> assertThat(o.comm()).isEqualTo("python3"));
        Listener star = ls.stream().filter(l -> l.port() == 80).findFirst().orElseThrow();
        assertThat(star.address()).isEqualTo("::");
        assertThat(star.dualStack()).isTrue();
    }

    @Test
    void netstatWithoutWideReportsTheTruncatedIpv6AddressOnItsLine() {
        Problems p = new Problems();
        String text = read("captured/netstat-tulpn.txt");
        List<Listener> ls = InventoryText.parse("netstat-tulpn.txt", text, NAMES, p);
        int line = List.of(text.split("\n")).indexOf(text.lines().filter(l -> l.contains("fd77:")).findFirst().orElseThrow()) + 1;
        assertThat(p.list()).anySatisfy(pp -> {
            assertThat(pp.line()).isEqualTo(line);
            assertThat(pp.severity()).isEqualTo(ParseProblem.Severity.WARNING);
            assertThat(pp.message()).contains("truncated");
        });
        Listener cut = ls.stream().filter(l -> l.port() == 8443).findFirst().orElseThrow();
        assertThat(cut.note()).contains("truncated");
        assertThat(cut.owners().get(0).note()).contains("cut");
        assertThat(cut.owners().get(0).comm()).isEqualTo("very-long-dae");
    }

    @Test
    void busyboxProgramColumnCutAtTwentyIsReported() {
        Problems p = new Problems();
        List<Listener> ls = InventoryText.parse("bb", read("busybox-netstat-tulpn.txt"), NAMES, p);
        assertThat(keys(ls)).contains("tcp 0.0.0.0 21", "tcp :: 6000", "tcp fd77:20::1234:5678:9abc:def0 8443", "udp :: 5353");
        Listener avahi = ls.stream().filter(l -> l.port() == 5353 && l.family() == AddressFamily.IPV4).findFirst().orElseThrow();
        assertThat(avahi.owners()).singleElement().satisfies(o -> {
            assertThat(o.pid()).isEqualTo(433);
            assertThat(o.comm()).isEqualTo("avahi-daemon: ru");
            assertThat(o.note()).contains("cut");
        });
        assertThat(p.list()).filteredOn(pp -> pp.message().contains("20-column")).hasSize(3);
        // the long address overflowed its column: it is whole, not truncated
        assertThat(p.list()).noneMatch(pp -> pp.message().contains("truncated"));
    }

    @Test
    void hostNamesAreNeverLookedUpAndLocalhostIsLoopback() {
        Problems p = new Problems();
        List<Listener> ls = InventoryText.parse("a", read("captured/netstat-a.txt"), NAMES, p);
        Listener ipp = ls.stream().filter(l -> l.port() == 631).findFirst().orElseThrow();
        assertThat(ipp.address()).isEqualTo("127.0.0.1");
        assertThat(ipp.scope()).isEqualTo(BindScope.LOOPBACK);
        assertThat(keys(ls)).contains("tcp 0.0.0.0 8080", "tcp :: 6000", "tcp ::1 25");
        String text = "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
                + "tcp        0      0 device.example:http     0.0.0.0:*               LISTEN\n"
                + "tcp        0      0 0.0.0.0:nosuchsvc       0.0.0.0:*               LISTEN\n";
        Problems p2 = new Problems();
        List<Listener> named = InventoryText.parse("x", text, NAMES, p2);
        assertThat(named).singleElement().satisfies(l -> {
            assertThat(l.address()).isEqualTo("device.example");
            assertThat(l.scope()).isEqualTo(BindScope.SPECIFIC);
            assertThat(l.note()).contains("not resolved");
        });
        assertThat(p2.list()).singleElement().satisfies(pp -> {
            assertThat(pp.line()).isEqualTo(3);
            assertThat(pp.message()).contains("nosuchsvc");
        });
    }

    @Test
    void garbageIsOneProblemNotAnException() {
        Problems p = new Problems();
        assertThat(InventoryText.parse("g", "hello\nworld", NAMES, p)).isEmpty();
        assertThat(p.list()).singleElement().satisfies(pp -> assertThat(pp.line()).isEqualTo(1));
        Problems p2 = new Problems();
        List<Listener> ls = InventoryText.parse(DeviceSnapshot.KIND_SS, "s", "tcp LISTEN 0 5 0.0.0.0 0.0.0.0:*\n"
                + "tcp LISTEN 0 5 0.0.0.0:99999 0.0.0.0:*\n", NAMES, p2);
        assertThat(ls).isEmpty();
        assertThat(p2.list()).extracting(ParseProblem::line).containsExactly(1, 2);
    }
}
