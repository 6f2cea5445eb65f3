package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.collect.CollectScript;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabExtension;
import io.portaudit.lab.LabTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pa-h3 NAT lab (issue 14 item 2), live: a board namespace (10.77.75.2, fd77:75::2) whose nat
 * PREROUTING REDIRECTs tcp/2323 to a busybox telnetd on 23, and DNATs tcp/8080 podman-CNI style to a
 * "container" namespace (10.77.76.2 behind the board's bridge cni-podman0, ip_forward=1) where
 * busybox httpd listens on :80; filter FORWARD accepts it by its policy, as on a board where podman
 * added its CNI-FORWARD chain. The board's own outputs (iptables-save, nft list ruleset, ss) and a scan
 * from the host are audited: 2323 is telnet's exposed-service and insecure-protocol with the redirect
 * in the evidence, 8080 is forwarded to the container and possibly open; the scan sees both open,
 * consistent with the audit. {@code -Dportaudit.nat.capture=DIR} writes the outputs there (the
 * fixtures of {@link NatAuditTest} were made that way).
 */
@LabTest
class NatLabTest {
    static final String BOARD = "pa-h3-board", CTR = "pa-h3-ctr", LINK = "vpa-h3-b", DEVICE = "10.77.75.2";
    static final Duration T = Duration.ofSeconds(30);
    static final String BUSYBOX = "/var/cache/portaudit-lab/busybox-static/bin/busybox";

    @BeforeAll
    static void lab() throws Exception {
        LabExtension.require(Files.isExecutable(Path.of(BUSYBOX)), "busybox-static with telnetd (" + BUSYBOX + ", see lab/lab)");
        cleanup();
        Lab.device(BOARD, LINK, "10.77.75.1/24", DEVICE + "/24", "fd77:75::1/64", "fd77:75::2/64");
        Lab.run(T, "ip", "netns", "add", CTR).requireOk("ip netns add " + CTR);
        Lab.inNs(BOARD, T, "sh", "-c", "ip link add cni-podman0 type bridge && ip addr add 10.77.76.1/24 dev cni-podman0"
                + " && ip link set cni-podman0 up && ip link add veth-web type veth peer name eth0 netns " + CTR
                + " && ip link set veth-web master cni-podman0 && ip link set veth-web up && sysctl -qw net.ipv4.ip_forward=1")
                .requireOk("bridge");
        Lab.inNs(CTR, T, "sh", "-c", "ip addr add 10.77.76.2/24 dev eth0 && ip link set eth0 up && ip link set lo up"
                + " && ip route add default via 10.77.76.1").requireOk("container");
        Lab.inNs(BOARD, T, "sh", "-c", "iptables-restore < " + Lab.repo().resolve("src/test/resources/fixtures/lab/nat/board.rules"))
                .requireOk("iptables-restore");
        Path www = Files.createTempDirectory("pa-h3-www");
        Files.writeString(www.resolve("index.html"), "<html>pa-h3 container</html>\n");
        Lab.inNs(CTR, T, "sh", "-c", BUSYBOX + " httpd -f -p 80 -h " + www + " >/dev/null 2>&1 &").requireOk("httpd");
        Lab.inNs(BOARD, T, "sh", "-c", BUSYBOX + " telnetd -F -p 23 -l " + Lab.repo().resolve("lab/refuse-login") + " >/dev/null 2>&1 &")
                .requireOk("telnetd");
        for (int i = 0; i < 50; i++) {
            if (Lab.inNs(BOARD, T, "ss", "-Hltn", "sport = :23").out().contains(":23")
                    && Lab.inNs(CTR, T, "ss", "-Hltn", "sport = :80").out().contains(":80")) break;
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void cleanup() {
        Lab.Result pids = Lab.run(T, "ip", "netns", "pids", CTR);
        if (pids.exit() == 0) for (String pid : pids.out().split("\\s+")) if (!pid.isBlank()) Lab.run(T, "kill", pid.trim());
        Lab.removeDevice(BOARD, LINK);
        Lab.run(T, "ip", "netns", "del", CTR);
    }

    static JsonNode audit(List<String> args) throws Exception {
        Lab.Result r = Lab.run(Duration.ofMinutes(3), Lab.portaudit(args.toArray(String[]::new)));
        assertThat(r.exit()).as("%s: %s", args, r.err()).isIn(0, 1);
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void theBoardsOwnOutputsAndTheScanAgree(@TempDir Path dir) throws Exception {
        Path out = System.getProperty("portaudit.nat.capture") != null ? Path.of(System.getProperty("portaudit.nat.capture")) : dir;
        Files.createDirectories(out);
        String[][] captures = {{"iptables-save.txt", "iptables-save"}, {"nft-list-ruleset.txt", "nft list ruleset"},
                {"iptables-L-v-n.txt", "iptables -L -v -n"}, {"iptables-L-v-n-t-nat.txt", "iptables -L -v -n -t nat"},
                {"ss-tulpn.txt", "ss -tulpn"}, {"netstat-tulpn.txt", "netstat -tulpn"}, {"busybox-netstat-tuln.txt", BUSYBOX + " netstat -tuln"}};
        for (String[] c : captures) {
            Lab.Result r = Lab.inNs(BOARD, T, "sh", "-c", c[1]).requireOk(c[1]);
            Files.writeString(out.resolve(c[0]), c[0].equals("iptables-save.txt") ? r.out().replaceAll("(?m)^#.*\\n", "") : r.out());
        }
        Files.writeString(out.resolve("container-ss-tulpn.txt"), Lab.inNs(CTR, T, "ss", "-tulpn").requireOk("ss").out());

        for (String fw : List.of("iptables-save.txt", "nft-list-ruleset.txt", "iptables-L-v-n.txt iptables-L-v-n-t-nat.txt")) {
            List<String> args = new ArrayList<>(List.of("audit", "--json", "-q", "--input"));
            for (String f : fw.split(" ")) args.add(out.resolve(f).toString());
            args.addAll(List.of(out.resolve("ss-tulpn.txt").toString(), "--scan", DEVICE, "--scan-ports", "T:22,23,80,2323,8080"));
            check(audit(args), fw);
        }

        // the scanner alone, from the host: what the audit says is reachable answers
        Lab.Result scan = Lab.run(Duration.ofMinutes(2), Lab.portaudit("scan", "-n", "--json", "-p", "22,23,80,2323,8080", DEVICE));
        assertThat(scan.exit()).as(scan.err()).isZero();
        List<String> open = new ArrayList<>();
        for (String line : scan.out().split("\n")) {
            if (line.isBlank()) continue;
            JsonNode n = new ObjectMapper().readTree(line);
            if (n.path("state").asText().equals("open")) open.add(n.path("port").asText());
        }
        assertThat(open).containsExactlyInAnyOrder("23", "2323", "8080");
    }

    /** What every capture of the board must give (the same as {@link NatAuditTest} asserts on the fixtures). */
    static void check(JsonNode root, String what) {
        JsonNode r2323 = NatAuditTest.row(root, 2323);
        assertThat(r2323.path("firewall").path("redirect").path("to").path("from").asInt()).as(what).isEqualTo(23);
        assertThat(r2323.path("scan").path("state").asText()).as(what).isEqualTo("open");
        assertThat(r2323.path("expectedScanState").asText()).as(what).isEqualTo("open");
        assertThat(r2323.path("listeners")).as(what).extracting(l -> l.path("port").asInt()).containsExactly(23);
        assertThat(NatAuditTest.findings(root, "insecure-protocol", 2323)).as(what).hasSize(1);
        assertThat(NatAuditTest.findings(root, "exposed-service", 2323)).as(what).hasSize(1);
        assertThat(NatAuditTest.findings(root, "open-without-listener", 2323)).as(what).isEmpty();
        JsonNode r8080 = NatAuditTest.row(root, 8080);
        assertThat(r8080.path("firewall").path("verdict").asText()).as(what).isEqualTo("accept");
        assertThat(r8080.path("firewall").path("redirect").path("toAddress").asText()).as(what).isEqualTo("10.77.76.2");
        assertThat(r8080.path("scan").path("state").asText()).as(what).isEqualTo("open");
        assertThat(NatAuditTest.findings(root, "exposed-service", 8080)).as(what).singleElement()
                .satisfies(f -> assertThat(f.path("title").asText()).contains("forwarded to 10.77.76.2:80").endsWith("and reachable"));
        for (int p : new int[] {23, 2323, 8080}) assertThat(NatAuditTest.findings(root, "scan-disagrees", p)).as(what + " " + p).isEmpty();
    }

    @Test
    void aBundleFromTheBoardGivesTheSameAnswer(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("collect.sh");
        Files.writeString(script, CollectScript.text(), StandardCharsets.UTF_8);
        Path bundle = dir.resolve("bundle.tar.gz");
        Lab.inNs(BOARD, Duration.ofMinutes(2), "sh", script.toString(), bundle.toString()).requireOk("collect script");
        JsonNode root = audit(List.of("audit", "--json", "-q", "--bundle", bundle.toString(), "--scan", DEVICE,
                "--scan-ports", "T:22,23,80,2323,8080"));
        check(root, "bundle");
        // the bundle knows the program behind the socket (from /proc): the finding names it
        assertThat(NatAuditTest.findings(root, "exposed-service", 2323).get(0).path("title").asText()).contains("busybox");
    }
}
