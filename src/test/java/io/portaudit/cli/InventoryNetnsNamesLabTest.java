package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: {@code inventory --json} names namespaces as the text table does. A namespace of this test's own
 * ({@code ip netns add pa-cli-inv}, loopback only, no link) holds a listener on 127.0.0.1:7781; the host's
 * {@code portaudit inventory --json} lists it under {@code namespaces} with its {@code ip netns} name, keyed by the
 * same id the listener's {@code netns} carries, and the text table shows the same name.
 */
@LabTest
class InventoryNetnsNamesLabTest {
    private static final String NS = "pa-cli-inv";
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void jsonNamesTheNamespaceByItsIpNetnsName() throws Exception {
        Lab.run(T, "ip", "netns", "del", NS);
        Lab.run(T, "ip", "netns", "add", NS).requireOk("ip netns add");
        Process listener = null;
        try {
            Lab.inNs(NS, T, "ip", "link", "set", "lo", "up").requireOk("lo up");
            listener = new ProcessBuilder("ip", "netns", "exec", NS, "socat", "TCP4-LISTEN:7781,bind=127.0.0.1,reuseaddr,fork", "EXEC:/bin/true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 50 && !Lab.inNs(NS, T, "ss", "-Htln").out().contains(":7781 "); i++) Thread.sleep(100);

            Lab.Result r = Lab.run(Duration.ofSeconds(120), Lab.portaudit("inventory", "--json"));
            assertThat(r.exit()).as(r.err()).isIn(0, 3);
            JsonNode doc = new ObjectMapper().readTree(r.out());
            String id = null;
            for (JsonNode l : doc.path("listeners")) {
                if (l.path("port").asInt() == 7781 && "127.0.0.1".equals(l.path("address").asText())) id = l.path("netns").asText();
            }
            assertThat(id).as("the listener in %s", NS).isNotNull().startsWith("net:[");
            List<String> named = new ArrayList<>();
            for (JsonNode n : doc.path("namespaces")) {
                if (n.path("netns").asText().equals(id)) {
                    named.add(n.path("name").asText());
                    assertThat(n.path("listeners").asInt()).isGreaterThanOrEqualTo(1);
                }
            }
            assertThat(named).containsExactly(NS);

            Lab.Result text = Lab.run(Duration.ofSeconds(120), Lab.portaudit("inventory", "--color", "never"));
            assertThat(text.out().lines().filter(l -> l.contains("127.0.0.1:7781"))).singleElement().asString().contains(NS);
        } finally {
            Lab.stop(listener);
            Lab.removeDevice(NS, "pa-cli-inv-x");
        }
    }
}
