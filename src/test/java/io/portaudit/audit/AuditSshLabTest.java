package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabExtension;
import io.portaudit.lab.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's whole procedure in one command: {@code portaudit audit --ssh root@pa-440} collects the
 * device's facts over a real OpenSSH server running on the device and scans it from here; the
 * findings equal those of the audit of the outputs captured from it by hand.
 */
@LabTest
class AuditSshLabTest {
    static final String NS = "pa-440";
    static final String ADDRESS = "10.77.2.2";
    /** Accepted by the 440's "tcp dpts:1024:65535" rule and outside nmap's top 1000, so other tests' numbers stay the seed's. */
    static final int PORT = 47022;
    static final Duration T = Duration.ofSeconds(30);
    static final String CACHE = System.getenv().getOrDefault("PORTAUDIT_LAB_CACHE", "/var/cache/portaudit-lab");
    static Path work;
    static Process sshd;

    static String find(String... candidates) {
        for (String c : candidates) if (Files.isExecutable(Path.of(c))) return c;
        LabExtension.cannotRun("no sshd found (" + String.join(", ", candidates) + "); tools/install-deps unpacks it");
        return null;
    }

    @BeforeAll
    static void sshdOnTheDevice() throws Exception {
        Lab.up();
        String sshdBin = find("/usr/sbin/sshd", CACHE + "/openssh/usr/sbin/sshd");
        work = Files.createTempDirectory("pa-audit-ssh");
        Lab.run(T, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", work.resolve("host").toString()).requireOk("host key");
        Lab.run(T, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", work.resolve("client").toString()).requireOk("client key");
        Files.copy(work.resolve("client.pub"), work.resolve("authorized_keys"));
        // sshd runs only inside the device's namespace (and its own mount namespace, for its privsep user)
        sshd = Lab.sshd(NS, sshdBin, work, List.of(ADDRESS + ":" + PORT), List.of(work.resolve("host")), work.resolve("authorized_keys"));
        for (int i = 0; i < 100 && !Lab.inNs(NS, T, "ss", "-Hltn", "sport = :" + PORT).out().contains(":" + PORT); i++) Thread.sleep(100);
        assertThat(Lab.inNs(NS, T, "ss", "-Hltn", "sport = :" + PORT).out()).as(Files.readString(work.resolve("sshd.log"))).contains(":" + PORT);
    }

    @AfterAll
    static void stop() throws Exception {
        Lab.stop(sshd);
        for (int i = 0; i < 50 && Lab.inNs(NS, T, "ss", "-Hltn", "sport = :" + PORT).out().contains(":" + PORT); i++) Thread.sleep(100);
    }

    /** Finding keys without those about the collection's own sshd port. */
    static Set<String> keys(JsonNode root) {
        Set<String> out = new TreeSet<>();
        for (String k : AuditLabTest.keys(root)) if (!k.contains("/" + PORT + "-" + PORT + " ")) out.add(k);
        return out;
    }

    @Test
    void auditOverSshEqualsTheAuditOfTheCaptures() throws Exception {
        String known = work.resolve("known_hosts").toString();
        Files.writeString(work.resolve("known_hosts"), "");   // empty: no key on record yet (a missing file is an input error)
        // strict host keys: an unknown key is refused, with its fingerprint
        Lab.Result refused = Lab.run(Duration.ofMinutes(2), Lab.portaudit("audit", "--json", "--ssh", "root@" + ADDRESS + ":" + PORT,
                "-i", work.resolve("client").toString(), "--known-hosts", known, "--no-scan"));
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).contains("SHA256:");

        JsonNode ssh = AuditLabTest.audit("--ssh", "root@" + ADDRESS + ":" + PORT, "-i", work.resolve("client").toString(),
                "--known-hosts", known, "--accept-new-host-key");
        assertThat(ssh.path("device").path("source").asText()).startsWith("ssh://");
        assertThat(ssh.path("views").path("present")).extracting(JsonNode::asText).containsExactly("firewall", "listeners", "scan");
        Path fx = AuditLabTest.FIXTURES.resolve("pa-440");
        JsonNode pasted = AuditLabTest.audit("--input", "iptables-save:" + fx.resolve("iptables-save.txt"),
                "ip6tables-save:" + fx.resolve("ip6tables-save.txt"), fx.resolve("netstat-tulpn.txt").toString());
        assertThat(keys(ssh)).noneMatch(k -> k.startsWith("scan-disagrees"));
        assertThat(keys(ssh)).isEqualTo(keys(pasted));
        assertThat(ssh.path("findings").findValuesAsText("title")).anyMatch(t -> t.contains("vsftpd"));
        // the collection's own sshd is seen too: a listener the audit names
        assertThat(AuditLabTest.keys(ssh)).contains("exposed-service tcp/" + PORT + "-" + PORT + " ipv4");
        assertThat(List.of(Files.readString(Path.of(known)))).anyMatch(s -> s.contains("ssh-ed25519"));
    }
}
