package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Protocol;
import io.portaudit.store.Diff;
import io.portaudit.store.Facts;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan-only fleet device whose UDP port answers nothing (a socket on 127.0.0.1 that reads and never replies: the
 * scanner sees open|filtered) is audited as a single-device audit of a pasted scan is ({@code SilentUdpCoverageTest}): the
 * audit says how many ports answered nothing and that each may be open; the port stays outside the stored coverage, so
 * history never calls it closed: when the same port later answers, a diff says unknown, not new, and the other way round
 * unknown, not gone.
 */
class ScanOnlySilentUdpTest {
    @TempDir
    Path tmp;

    @Test
    void aSilentUdpPortOfAScanOnlyDeviceIsSaidMaybeOpenAndNeverClosed() throws Exception {
        AtomicBoolean answer = new AtomicBoolean();
        try (ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             Store s = Store.open(StoreLocation.parse(tmp.resolve("s.db").toString(), Map.of()))) {
            Thread.ofPlatform().daemon().start(() -> {
                byte[] b = new byte[2048];
                while (!udp.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(b, b.length);
                        udp.receive(p);
                        if (answer.get()) udp.send(new DatagramPacket(new byte[] {'o', 'k'}, 2, p.getSocketAddress()));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            int t = tcp.getLocalPort(), u = udp.getLocalPort();
            FleetDevice d = new FleetDevice("quiet-1", "127.0.0.1", null, null, null, null, true, true, null, null, null, null,
                    "T:" + t + ",U:" + u, 1);
            FleetDefaults defaults = FleetDefaults.none().withRetries(0);

            DeviceOutcome silent = DeviceAudit.run(d, defaults, s, null, Clock.systemUTC());
            assertThat(silent.auditId()).as(silent.reason()).isNotNull();
            Facts a = s.facts(silent.auditId());
            assertThat(a.rows()).extracting(Facts.Row::key).contains("tcp/" + t + "/ipv4");
            assertThat(a.coverage().covers(Protocol.TCP, AddressFamily.IPV4, t)).isTrue();
            assertThat(a.coverage().covers(Protocol.UDP, AddressFamily.IPV4, u)).as("open|filtered is unknown, never closed").isFalse();
            assertThat(a.rows()).noneSatisfy(r -> assertThat(r.key()).isEqualTo("udp/" + u + "/ipv4"));   // as a single-device audit
            assertThat(new ObjectMapper().readTree(s.document(silent.auditId())).path("views").path("unknown").toString())
                    .contains("1 UDP port(s) answered nothing (open|filtered)");

            answer.set(true);
            DeviceOutcome answering = DeviceAudit.run(d, defaults, s, null, Clock.systemUTC());
            assertThat(answering.auditId()).as(answering.reason()).isNotNull();
            Facts b = s.facts(answering.auditId());
            assertThat(b.rows()).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo("udp/" + u + "/ipv4");
                assertThat(r.scanState()).isEqualTo("open");
            });
            String key = "udp/" + u + "/ipv4";
            assertThat(Diff.of("silent", a, "answering", b).ports()).filteredOn(p -> p.key().equals(key))
                    .extracting(Diff.PortChange::status).containsExactly(Diff.Status.UNKNOWN);
            assertThat(Diff.of("answering", b, "silent", a).ports()).filteredOn(p -> p.key().equals(key))
                    .extracting(Diff.PortChange::status).as("silence after an answer: unknown, never gone").containsExactly(Diff.Status.UNKNOWN);
        }
    }
}
