package io.portaudit.store;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, live: a board of the test's own ({@code pa-hs-1}: 10.77.90.2, later moved to 10.77.91.2) with listeners on
 * tcp/22, tcp/2024 and tcp/40123 (the scan fixtures' {@code listen.py}, only inside the namespace).
 * <ul>
 *   <li>The same board audited at two addresses is one device: each audit reads a bundle the collect script wrote on
 *       the board (its {@code /etc/machine-id} is the board's own, bind-mounted in a private mount namespace), and the
 *       store keys the device on that, not on the address.</li>
 *   <li>A {@code -p 1-1024} scan after a {@code -p-} scan leaves the ports above 1024 unknown in {@code diff} and
 *       {@code history}, never closed.</li>
 * </ul>
 * Traffic: only to 10.77.90.2 / 10.77.91.2, in the namespace this test makes (blackhole routes first, {@link Lab#device}).
 */
@LabTest
class StoreLabTest {
    static final String NS = Lab.unique("pa-hs-1");
    static final String LINK = Lab.uniqueLink("pa-hs-1l");
    static final String FIRST = "10.77.90.2";
    static final String SECOND = "10.77.91.2";
    static final String MACHINE_ID = "9a3c0ffee0ddf00d5ea15ea15ea1b0a7";
    static final Duration T = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static Process listeners;

    @BeforeAll
    static void board() throws Exception {
        Lab.device(NS, LINK, "10.77.90.1/24", FIRST + "/24", null, null);
        Lab.run(T, "ip", "addr", "add", "10.77.91.1/24", "dev", LINK).requireOk("second host address");
        Path listen = Lab.repo().resolve("src/test/resources/fixtures/scan/listen.py");
        listeners = Lab.daemon(NS, "python3", listen.toString(), "22,2024,40123", "-");
        Files.writeString(work.resolve("machine-id"), MACHINE_ID + "\n");
        Files.writeString(work.resolve("collect.sh"), CollectScript.text(), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void cleanup() throws Exception {
        try {
            Lab.stop(listeners);
        } finally {
            Lab.removeDevice(NS, LINK);
        }
    }

    /** Runs the collect script on the board, whose /etc/machine-id is its own; returns the bundle. */
    static Path collect(String name) {
        Path out = work.resolve(name);
        Lab.Result r = Lab.inNs(NS, Duration.ofSeconds(120), "unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                "mount --bind " + work.resolve("machine-id") + " /etc/machine-id && cd " + work + " && TMPDIR=" + work + " /bin/sh "
                        + work.resolve("collect.sh") + " " + out);
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        return out;
    }

    static Lab.Result portaudit(String... args) {
        return Lab.run(Duration.ofMinutes(3), Lab.portaudit(args));
    }

    @Test
    void theSameBoardAtTwoAddressesIsOneDevice() throws Exception {
        String store = work.resolve("moved.db").toString();
        Path first = collect("first.tar.gz");
        Lab.Result a = portaudit("audit", "-q", "--store", store, "--bundle", first.toString(), "--scan", FIRST, "--scan-ports", "T:1-3000");
        assertThat(a.exit()).as(a.err()).isIn(0, 1);
        // the board moves: its address changes, its hardware does not
        Lab.inNs(NS, T, "ip", "addr", "del", FIRST + "/24", "dev", "eth0").requireOk("drop the first address");
        Lab.inNs(NS, T, "ip", "addr", "add", SECOND + "/24", "dev", "eth0").requireOk("the second address");
        try {
            Path second = collect("second.tar.gz");
            Lab.Result b = portaudit("audit", "-q", "--store", store, "--bundle", second.toString(), "--scan", SECOND, "--scan-ports",
                    "T:1-3000", "--diff-previous", "--json");
            assertThat(b.exit()).as(b.err()).isIn(0, 1);
            JsonNode since = JSON.readTree(b.out()).path("changedSince");
            assertThat(since.path("a").asText()).as("the previous audit of the same device").startsWith("previous audit (audit 1,");

            Lab.Result h = portaudit("history", "--store", store, "--json");
            assertThat(h.exit()).as(h.err()).isZero();
            JsonNode devices = JSON.readTree(h.out()).path("devices");
            assertThat(devices).as(h.out()).hasSize(1);
            assertThat(devices.get(0).toString()).contains("machine-id:" + MACHINE_ID);
            Lab.Result one = portaudit("history", "--store", store, "--json", "machine-id:" + MACHINE_ID);
            JsonNode audits = JSON.readTree(one.out()).path("devices").get(0).path("audits");
            assertThat(audits).hasSize(2);
            // the scans reached the board at each address; the listeners are the same ports on both
            Lab.Result d = portaudit("diff", "--store", store, "--json", "machine-id:" + MACHINE_ID + "@-1",
                    "machine-id:" + MACHINE_ID + "@latest");
            List<String> scanned = new ArrayList<>();
            for (JsonNode p : JSON.readTree(d.out()).path("ports")) {
                if (p.path("family").asText().equals("ipv4") && p.path("b").asText().contains("scan open")) {
                    scanned.add(p.path("port").asText() + " " + p.path("status").asText());
                }
            }
            assertThat(scanned).contains("22 same", "2024 same");
        } finally {
            Lab.inNs(NS, T, "ip", "addr", "del", SECOND + "/24", "dev", "eth0");
            Lab.inNs(NS, T, "ip", "addr", "add", FIRST + "/24", "dev", "eth0");
        }
    }

    @Test
    void aNarrowerScanAfterAFullOneLeavesTheHigherPortsUnknown() throws Exception {
        String store = work.resolve("coverage.db").toString();
        Path all = work.resolve("all.xml"), low = work.resolve("low.xml");
        Lab.Result full = portaudit("scan", "-p-", "-oX", all.toString(), FIRST);
        assertThat(full.exit()).as(full.err()).isZero();
        assertThat(Files.readString(all)).contains("portid=\"40123\"");
        Lab.Result narrow = portaudit("scan", "-p", "1-1024", "-oX", low.toString(), FIRST);
        assertThat(narrow.exit()).as(narrow.err()).isZero();
        for (Path scan : List.of(all, low)) {
            Lab.Result r = portaudit("audit", "-q", "--store", store, "--device", "hs-board", "--input", scan.toString());
            assertThat(r.exit()).as(r.err()).isIn(0, 1);
        }
        Lab.Result d = portaudit("diff", "--store", store, "--json", "hs-board@-1", "hs-board@latest");
        assertThat(d.exit()).as("nothing the narrow scan covered changed: " + d.out()).isZero();
        List<String> statuses = new ArrayList<>();
        for (JsonNode p : JSON.readTree(d.out()).path("ports")) statuses.add(p.path("port").asInt() + " " + p.path("status").asText());
        assertThat(statuses).contains("22 same", "2024 unknown", "40123 unknown").noneMatch(s -> s.endsWith("gone"));
        Lab.Result h = portaudit("history", "--store", store, "--json", "hs-board");
        JsonNode ports = JSON.readTree(h.out()).path("devices").get(0).path("lifecycle").path("ports");
        List<String> keys = new ArrayList<>();
        for (JsonNode p : ports) {
            keys.add(p.path("key").asText());
            assertThat(p.path("closedAt").isNull()).as(p.toString()).isTrue();
        }
        assertThat(keys).contains("tcp/22/ipv4", "tcp/2024/ipv4", "tcp/40123/ipv4");
    }
}
