package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portaudit.audit.Policy;
import io.portaudit.audit.PolicyLoader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 14 item 5: each built-in profile holds only its own board's facts. Audited with its own
 * board's seed outputs, a factory profile passes and reports nothing absent; its allow list is what
 * the seed says of that board (the article's table, plus the UDP ports that board's own netstat shows).
 */
class ProfileSeedTest {
    static final String SEED = SeedAuditTest.SEED;

    /** The seed's facts per board: the article's table of factory-default ports and the board's own netstat -a. */
    static final Map<String, List<String>> FACTS = Map.of(
            "armadillo-440", List.of("tcp/80", "tcp/21", "tcp/23", "udp/5353"),
            "armadillo-840", List.of("tcp/80", "tcp/21", "tcp/23"),
            "armadillo-iot-g2", List.of("tcp/80", "tcp/21", "tcp/23"),
            "armadillo-iot-g3", List.of("tcp/80", "udp/5353", "udp/32768-60999"),
            "armadillo-iot-g3l", List.of("tcp/80"),
            "armadillo-x1", List.of("tcp/80"),
            "production-minimal", List.of());

    @Test
    void everyProfileAllowsExactlyItsBoardsPorts() throws Exception {
        assertThat(FACTS.keySet()).containsExactlyInAnyOrderElementsOf(PolicyLoader.PROFILES);
        for (String name : PolicyLoader.PROFILES) {
            Policy p = PolicyLoader.profile(name);
            assertThat(p.allow().stream().map(Policy.Allow::label).toList()).as(name).containsExactlyInAnyOrderElementsOf(FACTS.get(name));
        }
    }

    @Test
    void noProfileQuotesAnotherBoardsOutput() throws Exception {
        for (String name : PolicyLoader.PROFILES) {
            String text;
            try (InputStream in = PolicyLoader.class.getResourceAsStream("/io/portaudit/audit/profiles/" + name + ".yaml")) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            // the G3's mDNS ephemeral ports (seed g3-netstat-a.txt) belong to the G3 only
            if (!name.equals("armadillo-iot-g3")) assertThat(text).as(name).doesNotContain("38848", "36247", "32768");
            assertThat(text).as(name).doesNotContain("both boards");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "armadillo-440, 440-iptables-L.txt 440-netstat-a.txt 440-nmap.txt",
        "armadillo-iot-g3, g3-iptables-L.txt g3-netstat-a.txt",
        "armadillo-iot-g3l, g3l-nmap.txt",
    })
    void aFactoryProfilePassesItsOwnSeedWithNothingAbsent(String profile, String files) throws Exception {
        List<String> args = new ArrayList<>(List.of("audit", "--json", "--profile", profile, "--input"));
        for (String f : files.split(" ")) args.add(SEED + f);
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        JsonNode root = SeedAuditTest.json(r);
        assertThat(SeedAuditTest.findings(root, "policy-violation")).as(profile).isEmpty();
        List<String> changes = new ArrayList<>();
        for (JsonNode c : root.path("policy").path("changes")) changes.add(c.path("kind").asText() + " " + c.path("port").asText());
        assertThat(changes).as(profile + ": no false absence, nothing added").isEmpty();
        assertThat(r.exit()).as(r.out()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void anotherBoardsProfileStillShowsWhatDiffers() throws Exception {
        // the 440 against the G3's profile: ftp and telnet added; the G3's ephemeral mDNS port absent on the 440
        JsonNode root = SeedAuditTest.json(SeedAuditTest.audit440("--profile", "armadillo-iot-g3"));
        List<String> changes = new ArrayList<>();
        for (JsonNode c : root.path("policy").path("changes")) changes.add(c.path("kind").asText() + " " + c.path("port").asText());
        assertThat(changes).contains("added tcp/21 ipv4", "added tcp/23 ipv4", "absent udp/32768-60999");
    }
}
