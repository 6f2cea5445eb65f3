package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.collect.CollectScript;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule in a second table: nat PREROUTING redirects tcp/80 to a listener on 8080 while filter
 * INPUT only accepts 8080. Audited from the filter table alone, the scan contradicts the rules
 * (scan-disagrees); audited with every table, the redirect explains the open port.
 */
@LabTest
class AuditRedirectLabTest {
    static final String NS = Lab.unique("pa-aud1");
    static final String HOST_IF = Lab.uniqueLink("vpa-aud1");
    static final String DEVICE = "10.77.50.2";
    static final Duration T = Duration.ofSeconds(30);
    static final String RULES = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A PREROUTING -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8080
            COMMIT
            *filter
            :INPUT DROP [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -i lo -j ACCEPT
            -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A INPUT -p tcp -m tcp --dport 8080 -j ACCEPT
            COMMIT
            """;

    @BeforeAll
    static void device() throws Exception {
        Lab.device(NS, HOST_IF, "10.77.50.1/24", DEVICE + "/24", null, null);
        Path rules = Files.createTempFile("pa-aud1", ".rules");
        Files.writeString(rules, RULES);
        Lab.inNs(NS, T, "sh", "-c", "iptables-restore < '" + rules + "'").requireOk("iptables-restore");
        Files.delete(rules);
        Lab.inNs(NS, T, "sh", "-c", "socat -u TCP4-LISTEN:8080,fork,reuseaddr OPEN:/dev/null >/dev/null 2>&1 &").requireOk("listener");
        for (int i = 0; i < 50 && !Lab.inNs(NS, T, "ss", "-Hltn", "sport = :8080").out().contains("8080"); i++) Thread.sleep(100);
    }

    @AfterAll
    static void cleanup() {
        Lab.removeDevice(NS, HOST_IF);
    }

    static JsonNode audit(List<String> args) throws Exception {
        Lab.Result r = Lab.run(Duration.ofMinutes(5), Lab.portaudit(args.toArray(String[]::new)));
        assertThat(r.exit()).as("%s: %s", args, r.err()).isIn(0, 1);
        return new ObjectMapper().readTree(r.out());
    }

    static JsonNode port(JsonNode root, int port) {
        for (JsonNode p : root.path("ports")) {
            if (p.path("port").asInt() == port && p.path("protocol").asText().equals("tcp") && p.path("family").asText().equals("ipv4")) return p;
        }
        throw new AssertionError("no row for tcp/" + port + " in " + root.path("ports"));
    }

    static boolean disagrees(JsonNode root, int port) {
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
            if (f.path("id").asText().equals("scan-disagrees") && f.path("ports").path("from").asInt() == port) return true;
        }
        return false;
    }

    @Test
    void theNatTableExplainsWhatTheFilterTableAloneCannot(@TempDir Path dir) throws Exception {
        Path filterOnly = dir.resolve("iptables-save-filter.txt");
        Files.writeString(filterOnly, Lab.inNs(NS, T, "iptables-save", "-t", "filter").requireOk("iptables-save").out());
        Path netstat = dir.resolve("netstat.txt");
        Files.writeString(netstat, Lab.inNs(NS, T, "netstat", "-tulpn").requireOk("netstat").out());

        JsonNode partial = audit(List.of("audit", "--json", "-q", "--input", "iptables-save:" + filterOnly, netstat.toString(),
                "--scan", DEVICE, "--scan-ports", "T:80,8080,81"));
        assertThat(port(partial, 80).path("scan").path("state").asText()).isEqualTo("open");
        assertThat(port(partial, 80).path("firewall").path("verdict").asText()).isEqualTo("drop");
        assertThat(disagrees(partial, 80)).as("filter table alone: the open tcp/80 is unexplained").isTrue();

        Path script = dir.resolve("collect.sh");
        Files.writeString(script, CollectScript.text(), StandardCharsets.UTF_8);
        Path bundle = dir.resolve("bundle.tar.gz");
        Lab.inNs(NS, Duration.ofMinutes(2), "sh", script.toString(), bundle.toString()).requireOk("collect script");
        JsonNode full = audit(List.of("audit", "--json", "-q", "--bundle", bundle.toString(), "--scan", DEVICE, "--scan-ports", "T:80,8080,81"));
        JsonNode p80 = port(full, 80);
        assertThat(p80.path("firewall").path("verdict").asText()).isEqualTo("accept");
        assertThat(p80.path("firewall").path("redirect").path("to").path("from").asInt()).isEqualTo(8080);
        assertThat(p80.path("expectedScanState").asText()).isEqualTo("open");
        assertThat(p80.path("scan").path("state").asText()).isEqualTo("open");
        assertThat(disagrees(full, 80)).as("every table: the redirect explains tcp/80").isFalse();
        assertThat(disagrees(full, 81)).isFalse();
    }
}
