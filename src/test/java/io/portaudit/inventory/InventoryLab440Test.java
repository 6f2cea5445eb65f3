package io.portaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the shared lab device pa-440 (the Armadillo-440 stand-in): {@code portaudit inventory --json
 * --netns current}, run inside the device, agrees exactly with {@code ss -Htulpn} run there and
 * names the seed's daemons as owners. Only reads the device; never changes it.
 */
@LabTest
class InventoryLab440Test {
    private static final String NS = "pa-440";
    private static final Duration T = Duration.ofSeconds(30);
    private static JsonNode json;
    private static String ss;

    @BeforeAll
    static void collect() throws Exception {
        Lab.up();
        // ss first, then portaudit, then ss again: the comparison is only fair when the device did not
        // change in between (a daemon restarted by someone else's lab up); retry a few times if it did
        for (int attempt = 0; attempt < 3; attempt++) {
            String before = Lab.inNs(NS, T, "ss", "-Htulpn").requireOk("ss").out();
            Lab.Result r = Lab.portauditInNs(NS, Duration.ofMinutes(2), "inventory", "--json", "--netns", "current");
            assertThat(r.exit()).as(r.err()).isZero();
            String after = Lab.inNs(NS, T, "ss", "-Htulpn").requireOk("ss").out();
            ss = after;
            json = new ObjectMapper().readTree(r.out());
            if (SsListing.fromSs(before).equals(SsListing.fromSs(after))) return;
        }
    }

    @Test
    void agreesExactlyWithSsRunOnTheDevice() {
        Set<String> expected = SsListing.fromSs(ss);
        // the seed's 440: tcp 21, 23, 80, 6000 (v4), 6000 (v6), udp 5353 (v4 + v6)
        assertThat(expected).hasSize(7);
        assertThat(SsListing.fromInventory(json)).isEqualTo(expected);
    }

    @Test
    void namesVsftpdTelnetdAndHttpdAsOwners() {
        List<String> owners = new ArrayList<>();
        for (JsonNode l : json.path("listeners")) {
            for (JsonNode o : l.path("owners")) {
                String who = o.path("comm").asText() + " | " + o.path("cmdline").asText();
                owners.add(l.path("protocol").asText() + "/" + l.path("port").asText() + " " + who);
            }
        }
        assertThat(owners).anySatisfy(o -> assertThat(o).startsWith("tcp/21 vsftpd | ").contains("vsftpd"));
        // busybox applets: comm is "busybox", the command line names the applet
        assertThat(owners).anySatisfy(o -> assertThat(o).startsWith("tcp/23 busybox | ").contains("telnetd"));
        assertThat(owners).anySatisfy(o -> assertThat(o).startsWith("tcp/80 busybox | ").contains("httpd"));
        for (JsonNode l : json.path("listeners")) {
            assertThat(l.path("owners").size()).as("owners of %s", l).isPositive();
        }
    }

    @Test
    void scopesMatchTheDeviceSetup() {
        // the lab sets net.ipv6.bindv6only=1 in every device: [::] listeners are IPv6 only
        for (JsonNode l : json.path("listeners")) {
            if (l.path("address").asText().equals("::")) {
                assertThat(l.path("scope").asText()).as(l.toString()).isEqualTo("all");
                assertThat(l.path("dualStack").asBoolean()).as(l.toString()).isFalse();
                assertThat(l.path("note").asText()).contains("v6only:1");
            } else {
                assertThat(l.path("address").asText()).isEqualTo("0.0.0.0");
                assertThat(l.path("scope").asText()).isEqualTo("all");
            }
        }
    }
}
