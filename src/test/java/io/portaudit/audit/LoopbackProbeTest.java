package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.Finding;
import io.portaudit.model.Listener;
import io.portaudit.model.PortResult;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Weakness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A local audit's loopback probe: this machine's own listeners identified through loopback only, their proven
 * weaknesses turned into findings whose reach still comes from the listeners and the firewall.
 */
class LoopbackProbeTest {
    private static final ServiceNames NAMES = ServiceNames.iana();

    static Listener listener(Protocol p, AddressFamily f, String address, int port, BindScope scope) {
        return new Listener(p, f, address, port, scope, null, p == Protocol.TCP ? "LISTEN" : "UNCONN", 1, null, List.of(), "test", null, null);
    }

    @Test
    void onlyLoopbackAddressesAreEverTargets() {
        assertThat(LoopbackProbe.targets(listener(Protocol.TCP, AddressFamily.IPV4, "0.0.0.0", 22, BindScope.ALL))).containsExactly("127.0.0.1");
        assertThat(LoopbackProbe.targets(listener(Protocol.TCP, AddressFamily.IPV6, "::", 22, BindScope.ALL))).containsExactly("::1");
        assertThat(LoopbackProbe.targets(new Listener(Protocol.TCP, AddressFamily.IPV6, "::", 22, BindScope.ALL_PLUS_IPV4, true, "LISTEN", 1,
                null, List.of(), "test", null, null))).containsExactly("127.0.0.1", "::1");
        assertThat(LoopbackProbe.targets(listener(Protocol.UDP, AddressFamily.IPV4, "127.0.0.53", 53, BindScope.LOOPBACK)))
                .containsExactly("127.0.0.53");
        assertThat(LoopbackProbe.targets(listener(Protocol.TCP, AddressFamily.IPV6, "::ffff:127.0.0.1", 631, BindScope.LOOPBACK)))
                .containsExactly("127.0.0.1");
        assertThat(LoopbackProbe.targets(listener(Protocol.TCP, AddressFamily.IPV6, "::1", 631, BindScope.LOOPBACK))).containsExactly("::1");
        // a specific address (even a scope that lies about it) is never a target
        assertThat(LoopbackProbe.targets(listener(Protocol.TCP, AddressFamily.IPV4, "10.77.1.2", 80, BindScope.SPECIFIC))).isEmpty();
        assertThat(LoopbackProbe.targets(listener(Protocol.TCP, AddressFamily.IPV6, "fe80::1", 80, BindScope.LINK_LOCAL))).isEmpty();
        assertThat(LoopbackProbe.targets(listener(Protocol.TCP, AddressFamily.IPV4, "10.77.1.2", 80, BindScope.LOOPBACK))).isEmpty();
    }

    @Test
    void aWeakSshServerOnLoopbackGivesWeakSshCryptoFromTheLoopbackProbe() throws Exception {
        // what OpenSSH 9.2 configured with old algorithms sent (version line + KEXINIT), replayed by a fake server
        byte[] weak = HexFormat.of().parseHex(Files.readString(Path.of("src/test/resources/fixtures/scan/ssh/openssh-9.2-weak-config.hex")).trim());
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try (Socket c = server.accept()) {
                        c.setSoTimeout(5000);
                        c.getOutputStream().write(weak);
                        InputStream in = c.getInputStream();
                        byte[] b = new byte[4096];
                        for (int i = 0; i < 100 && in.read(b) >= 0; i++) {
                            // until the client goes
                        }
                    } catch (IOException e) {
                        // next client, or closed
                    }
                }
            });
            int port = server.getLocalPort();
            Listener ssh = listener(Protocol.TCP, AddressFamily.IPV4, "127.0.0.1", port, BindScope.LOOPBACK);
            Listener elsewhere = listener(Protocol.TCP, AddressFamily.IPV4, "10.77.9.9", 8080, BindScope.SPECIFIC);
            LoopbackProbe.Result probe = LoopbackProbe.probe(List.of(ssh, elsewhere), NAMES, Clock.systemUTC(), Duration.ofSeconds(15));

            assertThat(probe.results()).noneMatch(r -> r.port() == 8080 || !"127.0.0.1".equals(r.address()));
            PortResult got = probe.results().stream().filter(r -> r.port() == port).findFirst().orElseThrow();
            assertThat(got.weakness(Weakness.SSH_WEAK_ALGORITHMS)).isPresent();
            assertThat(probe.notes()).anyMatch(n -> n.startsWith("service facts from a loopback probe") && n.contains("127.0.0.1 tcp " + port));
            assertThat(probe.notes()).anyMatch(n -> n.startsWith("not probed over loopback") && n.contains("10.77.9.9:8080"));

            AuditInput in = new AuditInput(Scenarios.snapshot(), null, List.of(ssh, elsewhere), null, List.of(), List.of()).withProbe(probe);
            AuditResult r = Auditor.audit(in, Policy.none(), null, NAMES, CorrelatorTest.CLOCK);
            Finding f = r.outcome().findings().stream().map(Gate.Gated::finding).filter(x -> x.id().equals("weak-ssh-crypto"))
                    .findFirst().orElseThrow();
            assertThat(f.ports().from()).isEqualTo(port);
            assertThat(f.title()).contains("diffie-hellman-group1-sha1").contains("(loopback probe of this machine; it listens on loopback only)");
            assertThat(f.evidence()).anyMatch(e -> e.view().equals("loopback-probe") && e.source().equals(LoopbackProbe.SOURCE)
                    && e.text().contains("proven: " + Weakness.SSH_WEAK_ALGORITHMS));
            assertThat(r.notes()).anyMatch(n -> n.startsWith("service facts from a loopback probe"));
            // the audit's JSON carries the finding and the note, and reads back to the same document
            String json = AuditJson.write(r);
            assertThat(json).contains("weak-ssh-crypto", "loopback-probe");
            assertThat(AuditJson.write(AuditJson.read(json))).isEqualTo(json);

            // without the probe's facts (audit --no-probe), nothing claims a weakness
            AuditResult none = Auditor.audit(new AuditInput(Scenarios.snapshot(), null, List.of(ssh, elsewhere), null, List.of(), List.of()),
                    Policy.none(), null, NAMES, CorrelatorTest.CLOCK);
            assertThat(none.outcome().findings()).noneMatch(g -> g.finding().id().equals("weak-ssh-crypto"));
        }
    }
}
