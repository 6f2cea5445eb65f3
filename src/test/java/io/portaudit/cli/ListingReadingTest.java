package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 8: nmap's filtered ports settle how a rule whose interface {@code iptables -L} hid is
 * read (ambiguous-listing), and {@code firewall --trace} says which reading it followed. Fixtures:
 * the seed 440 and fixtures/listing-reading (two firewalls with the same -L listing, each scanned).
 */
class ListingReadingTest {
    static final String SEED = SeedAuditTest.SEED;
    static final String FX = "src/test/resources/fixtures/listing-reading/";

    static JsonNode ambiguous(String... inputs) throws Exception {
        List<String> args = new ArrayList<>(List.of("audit", "--json", "--input"));
        args.addAll(List.of(inputs));
        JsonNode root = SeedAuditTest.json(MainTest.run(args.toArray(String[]::new)));
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) if (f.path("id").asText().equals("ambiguous-listing")) found.add(f);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    static String evidence(JsonNode f) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : f.path("evidence")) sb.append(e.path("view").asText()).append(": ").append(e.path("text").asText()).append('\n');
        return sb.toString();
    }

    @Test
    void theSeedsFilteredPortsSettleRuleOneAsNotAnAcceptAll() throws Exception {
        JsonNode f = ambiguous(SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", SEED + "440-nmap.txt");
        assertThat(f.path("severity").asText()).isEqualTo("low");
        assertThat(f.path("title").asText()).contains("INPUT rule 1", "the scan settles it");
        assertThat(evidence(f)).contains("scan: Not shown: 841 closed ports, 156 filtered ports", "156 filtered tcp ports");
        assertThat(f.path("detail").asText()).contains("almost surely '-i lo'", "follows that reading")
                .doesNotContain("if it matches every interface");
        // no remedy that deletes the rule on the reading the scan disproved
        assertThat(f.path("remedy").toString()).doesNotContain("-D INPUT 1");
    }

    @Test
    void withoutAScanBothReadingsAreStillShown() throws Exception {
        JsonNode f = ambiguous(SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt");
        assertThat(f.path("severity").asText()).isEqualTo("medium");
        assertThat(f.path("title").asText()).doesNotContain("settles", "contradicts");
        assertThat(f.path("detail").asText()).contains("if it matches every interface");
    }

    @Test
    void aLabBoardWhoseRuleOneIsLoopbackIsSettledTheSameWay() throws Exception {
        JsonNode f = ambiguous(FX + "lo-iptables-L.txt", FX + "lo-netstat-a.txt", FX + "lo-nmap.txt");
        assertThat(f.path("severity").asText()).isEqualTo("low");
        assertThat(evidence(f)).contains("156 filtered tcp ports");
        // what -v shows agrees: rule 1 is -i lo, so no ambiguity at all
        JsonNode truth = SeedAuditTest.json(MainTest.run("audit", "--json", "--input", FX + "lo-iptables-L-v-n.txt"));
        assertThat(SeedAuditTest.findings(truth, "ambiguous-listing")).isEmpty();
    }

    @Test
    void aLabBoardWhoseRuleOneAcceptsEverythingIsCaughtByTheScan() throws Exception {
        // the same -L listing; nmap sees nothing filtered among its default 1,000 ports
        JsonNode f = ambiguous(FX + "accept-all-iptables-L.txt", FX + "accept-all-netstat-a.txt", FX + "accept-all-nmap.txt");
        assertThat(f.path("severity").asText()).isEqualTo("high");
        assertThat(f.path("title").asText()).contains("the scan contradicts the -i lo reading");
        assertThat(evidence(f)).contains("none of the 1000 tcp ports", "was filtered");
        // and -v confirms: rule 1 has no interface, every port is accepted
        JsonNode truth = SeedAuditTest.json(MainTest.run("audit", "--json", "--input", FX + "accept-all-iptables-L-v-n.txt",
                FX + "accept-all-netstat-a.txt"));
        assertThat(SeedAuditTest.findings(truth, "ambiguous-listing")).isEmpty();
        for (JsonNode p : truth.path("ports")) {
            if (p.path("port").asInt() == 25 || p.path("port").asInt() == 6000) {
                assertThat(p.path("firewall").path("verdict").asText()).isEqualTo("accept");
            }
        }
    }

    @Test
    void traceSaysWhichReadingItFollowed() {
        MainTest.Run remote = MainTest.run("firewall", SEED + "440-iptables-L.txt", "--trace", "tcp/23");
        assertThat(remote.exit()).isEqualTo(ExitCodes.OK);
        assertThat(remote.out()).contains("INPUT #1 no match (read as -i lo: iptables -L without -v hid its interface; read literally, "
                + "for every interface, it would match and ACCEPT)");
        assertThat(remote.out()).contains("verdict: accept by filter INPUT rule 4");
        MainTest.Run lo = MainTest.run("firewall", SEED + "440-iptables-L.txt", "--trace", "tcp/23", "--iface", "lo");
        assertThat(lo.out()).contains("INPUT #1 match (read as -i lo", "it matches too");
        // a listing that shows interfaces has nothing to say
        MainTest.Run verbose = MainTest.run("firewall", FX + "lo-iptables-L-v-n.txt", "--trace", "tcp/23");
        assertThat(verbose.out()).doesNotContain("read as").contains("INPUT #1 no match");
    }
}
