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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each lab device audited for real (facts collected inside the device by the busybox collect
 * script, scanned from the host) gives the same findings as the audit of the outputs captured from
 * it by hand, and the scan never disagrees with the rules.
 */
@LabTest
class AuditLabTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path FIXTURES = Path.of("src/test/resources/fixtures/lab");

    @BeforeAll
    static void up() {
        Lab.up();
    }

    record Device(String ns, String address, List<String> pasted) {}

    static List<Device> devices() {
        return List.of(
                new Device("pa-440", "10.77.2.2", List.of("iptables-save:" + FIXTURES.resolve("pa-440/iptables-save.txt"),
                        "ip6tables-save:" + FIXTURES.resolve("pa-440/ip6tables-save.txt"), FIXTURES.resolve("pa-440/netstat-tulpn.txt").toString())),
                new Device("pa-g3", "10.77.1.2", List.of("iptables-save:" + FIXTURES.resolve("pa-g3/iptables-save.txt"),
                        "ip6tables-save:" + FIXTURES.resolve("pa-g3/ip6tables-save.txt"), FIXTURES.resolve("pa-g3/netstat-tulpn.txt").toString())),
                new Device("pa-nft", "10.77.3.2", List.of("nft-json:" + FIXTURES.resolve("pa-nft/nft-j-list-ruleset.json"),
                        FIXTURES.resolve("pa-nft/netstat-tulpn.txt").toString())));
    }

    /** What a finding is about, without the words that depend on where the facts came from. */
    static Set<String> keys(JsonNode root) {
        Set<String> out = new TreeSet<>();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
            JsonNode p = f.path("ports");
            out.add(f.path("id").asText() + " " + f.path("protocol").asText() + "/"
                    + (p.isNull() ? "-" : p.path("from").asText() + "-" + p.path("to").asText()) + " " + f.path("family").asText());
        }
        return out;
    }

    static JsonNode audit(String... args) throws Exception {
        return JSON.readTree(auditText(args));
    }

    /** The audit JSON document as written. */
    static String auditText(String... args) {
        List<String> all = new ArrayList<>(List.of("audit", "--json", "-q"));
        all.addAll(List.of(args));
        Lab.Result r = Lab.run(Duration.ofMinutes(5), Lab.portaudit(all.toArray(String[]::new)));
        assertThat(r.exit()).as("portaudit %s: %s", all, r.err()).isIn(0, 1);
        return r.out();
    }

    @Test
    void liveAuditOfEachDeviceEqualsTheAuditOfItsCaptures(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("collect.sh");
        Files.writeString(script, CollectScript.text(), StandardCharsets.UTF_8);
        for (Device d : devices()) {
            Path bundle = dir.resolve(d.ns() + ".tar.gz");
            Lab.Result collected = Lab.inNs(d.ns(), Duration.ofMinutes(3), "sh", script.toString(), bundle.toString());
            assertThat(collected.exit()).as(d.ns() + " collect: " + collected.err()).isZero();

            String liveText = auditText("--bundle", bundle.toString(), "--scan", d.address());
            JsonNode live = JSON.readTree(liveText);
            // the result round-trips: read back with --input, written again, it is the same document
            Path saved = dir.resolve(d.ns() + "-audit.json");
            Files.writeString(saved, liveText, StandardCharsets.UTF_8);
            assertThat(auditText("--input", saved.toString())).as(d.ns() + ": audit --input previous.json").isEqualTo(liveText);
            JsonNode pasted = audit(d.pasted().stream().flatMap(p -> java.util.stream.Stream.of("--input", p)).toArray(String[]::new));

            assertThat(live.path("views").path("present")).extracting(JsonNode::asText).containsExactly("firewall", "listeners", "scan");
            assertThat(keys(live)).as(d.ns() + ": scan-disagrees").noneMatch(k -> k.startsWith("scan-disagrees"));
            assertThat(keys(live)).as(d.ns() + ": live (bundle + scan) vs pasted captures").isEqualTo(keys(pasted));
            // owners were named in the live audit (the socket-owner table came with the bundle)
            boolean named = false;
            for (JsonNode p : live.path("ports")) {
                for (JsonNode l : p.path("listeners")) if (l.path("owners").size() > 0) named = true;
            }
            assertThat(named).as(d.ns() + ": listeners have owners").isTrue();
        }
    }
}
