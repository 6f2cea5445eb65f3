package io.portaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.BindScope;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInventoryTest {
    private static final String HOST = "net:[4026531840]";
    private static final String CONTAINER = "net:[4026532999]";
    private static final Passwd PASSWD = Passwd.parse("root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n");

    private FakeProc twoNamespaces(Path dir) throws Exception {
        FakeProc p = new FakeProc(dir);
        p.process(1, HOST, "systemd", "/sbin/init", 0, "/init.scope");
        p.process(100, HOST, "sshd", "/usr/sbin/sshd -D", 0, "/system.slice/ssh.service", 1001, 1002);
        // a pre-fork server: parent and child hold the same listening socket
        p.process(200, HOST, "apache2", "/usr/sbin/apache2 -k start", 0, "/system.slice/apache2.service", 2001);
        p.process(201, HOST, "apache2", "/usr/sbin/apache2 -k start", 33, "/system.slice/apache2.service", 2001);
        p.process(300, CONTAINER, "nginx", "nginx: master process nginx -g daemon off;", 0,
                "/system.slice/docker-0123456789abcdef0123456789abcdef.scope", 3001);
        p.self(1);
        p.tables(1, FakeProc.v4(0, "00000000", 22, "0A", 1001) + FakeProc.v4(1, "0100007F", 8080, "0A", 2001)
                        + FakeProc.v4(2, "0100007F", 40000, "01", 9999),
                FakeProc.v6(0, "00000000000000000000000000000000", 22, "0A", 1002), "", "");
        p.tables(300, FakeProc.v4(0, "00000000", 80, "0A", 3001), "", "", "");
        return p;
    }

    @Test
    void everyNamespaceEveryOwnerWithUserUnitContainerStartTime(@TempDir Path dir) throws Exception {
        twoNamespaces(dir);
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        assertThat(r.namespaces()).containsExactly(HOST, CONTAINER);
        assertThat(r.listeners()).extracting(Listener::port).containsExactly(22, 22, 80, 8080);
        Listener ssh6 = r.listeners().get(1);
        assertThat(ssh6.address()).isEqualTo("::");
        assertThat(ssh6.dualStack()).isFalse(); // 0.0.0.0:22 exists beside it
        Listener web = r.listeners().get(3);
        assertThat(web.scope()).isEqualTo(BindScope.LOOPBACK);
        assertThat(web.owners()).extracting(Owner::pid).containsExactly(200, 201);
        assertThat(web.owners()).extracting(Owner::user).containsExactly("root", "www-data");
        assertThat(web.owners().get(0).unit()).isEqualTo("apache2.service");
        Listener nginx = r.listeners().get(2);
        assertThat(nginx.netns()).isEqualTo(CONTAINER);
        Owner o = nginx.owners().get(0);
        assertThat(o.container()).isEqualTo("docker:0123456789ab");
        assertThat(o.cmdline()).isEqualTo("nginx: master process nginx -g daemon off;");
        assertThat(o.exe()).isEqualTo("/usr/bin/nginx");
        // btime 1700000000 + 12345 ticks of 1/100 s, in whole seconds (what the collect script can compute too)
        assertThat(o.started()).isEqualTo(Instant.ofEpochSecond(1700000000 + 123));
        assertThat(r.remarks()).isEmpty();
    }

    @Test
    void theAuditsOwnersCarryTheSameDetailsAsInventorys(@TempDir Path dir) throws Exception {
        // one walk (collect.ProcWalk): the audit reads this machine's owners from the socket-owners capture that
        // LocalCollector writes; inventory builds them from the walk's rows directly
        twoNamespaces(dir);
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        io.portaudit.model.Problems problems = new io.portaudit.model.Problems();
        SocketOwners.Table captured = SocketOwners.parse("socket-owners", io.portaudit.collect.LocalCollector.socketOwners(dir), PASSWD,
                problems);
        assertThat(problems.list()).isEmpty();
        for (Listener l : r.listeners()) {
            if (l.owners().isEmpty()) continue;
            assertThat(captured.owners().get(l.inode())).as(l.endpoint()).isEqualTo(l.owners());
        }
        Owner nginx = captured.owners().get(3001L).get(0);
        assertThat(nginx.exe()).isEqualTo("/usr/bin/nginx");
        assertThat(nginx.started()).isEqualTo(Instant.ofEpochSecond(1700000123));
        assertThat(captured.owners().get(2001L)).extracting(Owner::pid).containsExactly(200, 201);
    }

    @Test
    void streamedJsonIsTheTreeDocumentExactly(@TempDir Path dir) throws Exception {
        twoNamespaces(dir);
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        List<io.portaudit.model.ParseProblem> problems = List.of(
                io.portaudit.model.ParseProblem.error("x", 3, 1, "bad \"line\"", "not a socket line"));
        List<String> remarks = List.of("process 7 exited during the scan");
        String tree = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(InventoryOutput.json(r.listeners(), remarks, problems));
        assertThat(InventoryOutput.jsonText(r.listeners(), remarks, problems)).isEqualTo(tree).contains("\"dualStack\" : false");
    }

    @Test
    void ssEvidenceDecidesWhetherALoneAnyV6SocketTakesIpv4(@TempDir Path dir) throws Exception {
        FakeProc p = twoNamespaces(dir);
        p.process(500, HOST, "socat", "socat TCP6-LISTEN:8443", 0, "/", 1010, 1011);
        Files.writeString(dir.resolve("1/net/tcp6"), Files.readString(dir.resolve("1/net/tcp6"))
                + FakeProc.v6(1, "00000000000000000000000000000000", 8443, "0A", 1010)
                + FakeProc.v6(2, "00000000000000000000000000000000", 9000, "0A", 1011));
        p.process(302, CONTAINER, "socat", "socat TCP6-LISTEN:8444", 0, "/", 3002);
        Files.writeString(dir.resolve("300/net/tcp6"), Files.readString(dir.resolve("300/net/tcp6"))
                + FakeProc.v6(0, "00000000000000000000000000000000", 8444, "0A", 3002));
        List<String> asked = new java.util.ArrayList<>();
        V6Only.Source fake = remarks -> {
            asked.add("ss");
            remarks.add("probe ran");
            return java.util.Map.of(1010L, true, 1011L, false, 3002L, true);
        };
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD, fake);
        assertThat(asked).hasSize(1);
        assertThat(r.remarks()).contains("probe ran");
        Listener v6only = r.listeners().stream().filter(l -> l.port() == 8443).findFirst().orElseThrow();
        assertThat(v6only.scope()).isEqualTo(BindScope.ALL);
        assertThat(v6only.dualStack()).isFalse();
        assertThat(v6only.note()).contains("ss -e", "v6only:1", "as the source shows");
        Listener dual = r.listeners().stream().filter(l -> l.port() == 9000).findFirst().orElseThrow();
        assertThat(dual.scope()).isEqualTo(BindScope.ALL_PLUS_IPV4);
        assertThat(dual.dualStack()).isTrue();
        assertThat(dual.note()).contains("v6only:0");
        // another namespace's socket is not what ss (run in ours) saw, even with the same inode number
        Listener other = r.listeners().stream().filter(l -> l.port() == 8444).findFirst().orElseThrow();
        assertThat(other.netns()).isEqualTo(CONTAINER);
        assertThat(other.note()).doesNotContain("netlink", "v6only:1").contains("assumed to take IPv4 too");
        assertThat(other.scope()).isEqualTo(BindScope.ALL_PLUS_IPV4);
        // without evidence the lone :: is not guessed safe
        Inventory.Result none = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        Listener unknown = none.listeners().stream().filter(l -> l.port() == 8443).findFirst().orElseThrow();
        assertThat(unknown.scope()).isEqualTo(BindScope.ALL_PLUS_IPV4);
        assertThat(unknown.note()).contains("assumed to take IPv4 too");
    }

    @Test
    void probeIsNotRunWithoutAnAnyV6Socket(@TempDir Path dir) throws Exception {
        twoNamespaces(dir);
        List<String> asked = new java.util.ArrayList<>();
        Inventory.local(dir, NetnsMode.ALL, PASSWD, remarks -> {
            asked.add("ss");
            return java.util.Map.of();
        });
        assertThat(asked).hasSize(1); // :: 22 is there
        Files.writeString(dir.resolve("1/net/tcp6"), "");
        asked.clear();
        Inventory.local(dir, NetnsMode.ALL, PASSWD, remarks -> {
            asked.add("ss");
            return java.util.Map.of();
        });
        assertThat(asked).isEmpty();
    }

    @Test
    void ssDetailsLinesGiveInodeAndV6only() {
        String ss = """
                LISTEN 0      5      0.0.0.0:6000 0.0.0.0:* ino:4102010 sk:10a1 cgroup:unreachable:1 <->
                LISTEN 0      5         [::]:6000    [::]:* ino:4101028 sk:10a2 cgroup:unreachable:1 v6only:1 <->
                UNCONN 0      0            *:5353       *:* ino:4102016 sk:10a4 cgroup:unreachable:1 v6only:0 <->
                LISTEN 0      5         [::]:7000    [::]:* sk:10a2 v6only:1 <->
                """;
        assertThat(V6Only.parse(ss)).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(4101028L, true, 4102016L, false));
    }

    @Test
    void currentHidesOtherNamespaces(@TempDir Path dir) throws Exception {
        twoNamespaces(dir);
        Inventory.Result r = Inventory.local(dir, NetnsMode.CURRENT, PASSWD);
        assertThat(r.listeners()).extracting(Listener::netns).containsOnly(HOST);
        assertThat(r.listeners()).extracting(Listener::port).doesNotContain(80);
    }

    @Test
    void ownerThatExitedMidScanIsReportedNotDropped(@TempDir Path dir) throws Exception {
        FakeProc p = twoNamespaces(dir);
        // the kernel still listed pid 400 (its ns link was read) but its fd directory is gone: it exited
        Path gone = p.process(400, HOST, "dying", "dying", 0, "/", 5001);
        deleteTree(gone.resolve("fd"));
        Files.writeString(dir.resolve("1/net/tcp"), Files.readString(dir.resolve("1/net/tcp")) + FakeProc.v4(9, "00000000", 5000, "0A", 5001));
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        Listener orphan = r.listeners().stream().filter(l -> l.port() == 5000).findFirst().orElseThrow();
        assertThat(orphan.owners()).isEmpty();
        assertThat(orphan.note()).contains("no owner found");
        assertThat(r.remarks()).anySatisfy(s -> assertThat(s).contains("process 400 exited during the scan"));
    }

    @Test
    void namespaceReaderThatExitedFallsBackToAnotherMember(@TempDir Path dir) throws Exception {
        FakeProc p = twoNamespaces(dir);
        p.process(301, CONTAINER, "nginx", "nginx: worker", 33, "/system.slice/docker-0123456789abcdef0123456789abcdef.scope", 3001);
        Files.createDirectories(dir.resolve("301/net"));
        Files.copy(dir.resolve("300/net/tcp"), dir.resolve("301/net/tcp"));
        deleteTree(dir.resolve("300/net")); // 300 exits between the namespace listing and the table read
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        assertThat(r.listeners()).filteredOn(l -> l.port() == 80).singleElement()
                .satisfies(l -> assertThat(l.owners()).extracting(Owner::pid).contains(301));
    }

    @Test
    void unreadableFdDirectoryIsReported(@TempDir Path dir) throws Exception {
        FakeProc p = twoNamespaces(dir);
        // tests run as root, for whom permissions do not stop reading: an fd "directory" that is a file fails alike
        Path d = p.process(500, HOST, "secret", "secret", 0, "/", 6001);
        deleteTree(d.resolve("fd"));
        Files.writeString(d.resolve("fd"), "");
        Files.writeString(dir.resolve("1/net/tcp"), Files.readString(dir.resolve("1/net/tcp")) + FakeProc.v4(9, "00000000", 6000, "0A", 6001));
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        assertThat(r.remarks()).anySatisfy(s -> assertThat(s).startsWith("cannot read").contains("500"));
        assertThat(r.listeners()).filteredOn(l -> l.port() == 6000).singleElement()
                .satisfies(l -> assertThat(l.note()).contains("could not be read"));
    }

    @Test
    void fiveThousandListenersInOneProcess(@TempDir Path dir) throws Exception {
        FakeProc p = new FakeProc(dir);
        long[] inodes = new long[5000];
        StringBuilder tcp = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            inodes[i] = 100000 + i;
            tcp.append(FakeProc.v4(i, "00000000", 10000 + i, "0A", inodes[i]));
        }
        p.process(42, HOST, "java", "java -jar big.jar", 0, "/system.slice/big.service", inodes);
        p.self(42);
        p.tables(42, tcp.toString(), "", "", "");
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        assertThat(r.listeners()).hasSize(5000).allSatisfy(l -> assertThat(l.owners()).extracting(Owner::pid).containsExactly(42));
        assertThat(r.ownerRows()).hasSize(5000);
    }

    @Test
    void socketOwnersTextGivesTheSameOwnersAsTheLocalScan(@TempDir Path dir) throws Exception {
        twoNamespaces(dir);
        Inventory.Result r = Inventory.local(dir, NetnsMode.ALL, PASSWD);
        SocketOwners.Table back = SocketOwners.parse("owners", r.socketOwnersText(), PASSWD, new Problems());
        for (Listener l : r.listeners()) {
            List<Owner> remote = back.owners().get(l.inode());
            assertThat(remote).hasSameSizeAs(l.owners());
            for (int i = 0; i < remote.size(); i++) {
                Owner a = l.owners().get(i), b = remote.get(i);
                assertThat(new Owner(b.pid(), b.comm(), b.cmdline(), b.user(), b.unit(), b.container(), b.note(), a.exe(), b.uid(), a.started()))
                        .isEqualTo(a);
            }
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
