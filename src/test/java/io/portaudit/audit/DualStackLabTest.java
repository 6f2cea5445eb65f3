package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabExtension;
import io.portaudit.lab.LabTest;
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
 * Issue 14 item 1, live: busybox telnetd and httpd bound to {@code ::} only, in a namespace with
 * bindv6only=0 and the seed 440's firewall. netstat (GNU and busybox) print them as IPv6 sockets;
 * the audit of those listings with {@code iptables -L} must find telnet and http on IPv4 — which a
 * scan from the host then reaches — instead of "accepted but nothing listens".
 */
@LabTest
class DualStackLabTest {
    static final String NS = Lab.unique("pa-h1-ds");
    static final String HOST_IF = Lab.uniqueLink("pa-h1-dsl");
    static final String DEVICE = "10.77.71.2";
    static final Duration T = Duration.ofSeconds(30);

    static String busybox() {
        String cache = System.getenv().getOrDefault("PORTAUDIT_LAB_CACHE", "/var/cache/portaudit-lab");
        Path bb = Path.of(cache, "busybox-static/bin/busybox");
        if (!Files.isExecutable(bb)) LabExtension.cannotRun(bb + " (busybox with telnetd; lab/lab up installs it) is missing");
        return bb.toString();
    }

    @BeforeAll
    static void device() throws Exception {
        String bb = busybox();
        Lab.device(NS, HOST_IF, "10.77.71.1/24", DEVICE + "/24", "fd77:71::1/64", "fd77:71::2/64");
        Lab.inNs(NS, T, "sysctl", "-qw", "net.ipv6.bindv6only=0").requireOk("bindv6only=0");
        Lab.inNs(NS, T, "sh", "-c", "iptables-restore < '" + Lab.repo().resolve("lab/pa-440.rules") + "'").requireOk("iptables-restore");
        Path www = Files.createTempDirectory("pa-h1-www");
        Files.writeString(www.resolve("index.html"), "armadillo\n");
        String login = Lab.repo().resolve("lab/refuse-login").toString();
        Lab.inNs(NS, T, "sh", "-c", "'" + bb + "' telnetd -F -p 23 -b '[::]' -l '" + login + "' >/dev/null 2>&1 &").requireOk("telnetd");
        Lab.inNs(NS, T, "sh", "-c", "'" + bb + "' httpd -f -p '[::]:80' -h '" + www + "' >/dev/null 2>&1 &").requireOk("httpd");
        for (int i = 0; i < 50; i++) {
            String ss = Lab.inNs(NS, T, "ss", "-Hltn").out();
            if (ss.contains("*:23") && ss.contains("*:80")) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("telnetd/httpd on [::] did not come up: " + Lab.inNs(NS, T, "ss", "-Hltne").out());
    }

    @AfterAll
    static void cleanup() {
        Lab.removeDevice(NS, HOST_IF);
    }

    static JsonNode audit(List<String> args) throws Exception {
        Lab.Result r = Lab.run(Duration.ofMinutes(3), Lab.portaudit(args.toArray(String[]::new)));
        assertThat(r.exit()).as("%s: %s", args, r.err()).isIn(0, 1);
        return new ObjectMapper().readTree(r.out());
    }

    static JsonNode row(JsonNode root, int port) {
        for (JsonNode p : root.path("ports")) {
            if (p.path("port").asInt() == port && p.path("protocol").asText().equals("tcp") && p.path("family").asText().equals("ipv4")) return p;
        }
        throw new AssertionError("no row for tcp/" + port + " ipv4");
    }

    static List<String> ids(JsonNode root, int port) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
            if (f.path("family").asText().equals("ipv4") && f.path("ports").path("from").asInt() == port
                    && f.path("ports").path("to").asInt() == port) {
                out.add(f.path("id").asText());
            }
        }
        return out;
    }

    @Test
    void telnetAndHttpOnColonColonAreFoundOnIpv4AndTheScanAgrees(@TempDir Path dir) throws Exception {
        // the sockets really are dual-stack, and answer on IPv4
        assertThat(Lab.inNs(NS, T, "ss", "-Hltne").out()).contains("v6only:0");
        Path fw = dir.resolve("iptables-L.txt");
        Files.writeString(fw, Lab.inNs(NS, T, "iptables", "-L").requireOk("iptables -L").out());
        Path gnu = dir.resolve("netstat-a.txt");
        Files.writeString(gnu, Lab.inNs(NS, T, "netstat", "-a").requireOk("netstat -a").out());
        Path bbox = dir.resolve("busybox-netstat-tuln.txt");
        Files.writeString(bbox, Lab.inNs(NS, T, busybox(), "netstat", "-tuln").requireOk("busybox netstat").out());
        assertThat(Files.readString(gnu)).contains("[::]:telnet");
        assertThat(Files.readString(bbox)).contains(":::23");

        for (Path listing : List.of(gnu, bbox)) {
            JsonNode root = audit(List.of("audit", "--json", "-q", "--input", fw.toString(), listing.toString(),
                    "--scan", DEVICE, "--scan-ports", "T:21,22,23,80,8080"));
            for (int port : new int[] {23, 80}) {
                JsonNode r = row(root, port);
                assertThat(r.path("scan").path("state").asText()).as("%s tcp/%d", listing, port).isEqualTo("open");
                assertThat(r.path("expectedScanState").asText()).as("%s tcp/%d", listing, port).isEqualTo("open");
                assertThat(r.path("listeners").get(0).path("address").asText()).isEqualTo("::");
                assertThat(ids(root, port)).as("%s tcp/%d", listing, port).contains("exposed-service")
                        .doesNotContain("open-without-listener", "scan-disagrees");
            }
            assertThat(ids(root, 23)).contains("insecure-protocol");
            // accepted, nobody listens: still said for the ports that are really idle
            assertThat(row(root, 21).path("expectedScanState").asText()).isEqualTo("closed");
            assertThat(row(root, 21).path("scan").path("state").asText()).isEqualTo("closed");
        }
    }
}
