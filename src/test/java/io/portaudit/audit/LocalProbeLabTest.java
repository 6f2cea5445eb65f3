package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A local {@code portaudit audit} of a machine (a namespace of this test's own, so that the audit sees only its
 * listeners: pa-eng1, loopback only, no address outside it) where a listener on loopback answers like an SSH server
 * offering weak algorithms (the scanner tests' capture of OpenSSH 9.2 configured with old algorithms, replayed):
 * the audit's loopback probe identifies it and reports weak-ssh-crypto from that probe; {@code --no-probe} does not.
 */
@LabTest
class LocalProbeLabTest {
    static final String NS = Lab.unique("pa-eng1");
    static final Duration T = Duration.ofSeconds(60);
    static final Path REPLAY = Path.of("src/test/resources/fixtures/scan/replay.py").toAbsolutePath();
    static final Path WEAK_SSH = Path.of("src/test/resources/fixtures/scan/ssh/openssh-9.2-weak-config.hex").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<Process> daemons = new ArrayList<>();

    @BeforeAll
    static void machine() throws Exception {
        cleanup();
        Lab.run(T, "ip", "netns", "add", NS).requireOk("ip netns add " + NS);
        Lab.inNs(NS, T, "ip", "link", "set", "lo", "up").requireOk("lo up");
        daemons.add(Lab.daemon(NS, "python3", REPLAY.toString(), "127.0.0.1", "2222", WEAK_SSH.toString()));
    }

    @AfterAll
    static void cleanup() throws Exception {
        for (Process p : daemons) Lab.stop(p);
        daemons.clear();
        Lab.run(T, "ip", "netns", "del", NS);
    }

    static List<JsonNode> findings(String out, String id) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode f : JSON.readTree(out).path("findings")) if (f.path("id").asText().equals(id)) found.add(f);
        return found;
    }

    @Test
    void aWeakSshServerOnThisMachinesLoopbackIsFoundByTheLoopbackProbe() throws Exception {
        Lab.Result r = Lab.portauditInNs(NS, T, "audit", "--no-store", "--json");
        assertThat(r.exit()).as(r.err()).isIn(0, 1, 3);
        List<JsonNode> weak = findings(r.out(), "weak-ssh-crypto");
        assertThat(weak).as(r.out()).hasSize(1);
        JsonNode f = weak.get(0);
        assertThat(f.path("title").asText()).contains("tcp/2222", "diffie-hellman-group1-sha1",
                "(loopback probe of this machine; it listens on loopback only)");
        assertThat(f.toString()).contains("\"loopback-probe\"", "127.0.0.1");
        assertThat(JSON.readTree(r.out()).path("notes").toString()).contains("service facts from a loopback probe of this machine's listeners (127.0.0.1 tcp 2222)");
        assertThat(r.err()).contains("identifying this machine's services over loopback");

        Lab.Result off = Lab.portauditInNs(NS, T, "audit", "--no-store", "--json", "--no-probe");
        assertThat(off.exit()).as(off.err()).isIn(0, 1, 3);
        assertThat(findings(off.out(), "weak-ssh-crypto")).isEmpty();
        assertThat(off.out()).doesNotContain("loopback-probe", LoopbackProbe.NOTE);
    }
}
