package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.collect.LocalCollector;
import io.portaudit.collect.ProcWalk;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The walking skeleton: a real listener on this machine shows up in the local audit. */
class LocalAuditTest {

    @Test
    void aListenerOpenedByThisTestAppearsWithItsProcess() throws Exception {
        try (ServerSocket tcp = new ServerSocket();
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DeviceSnapshot snap = new LocalCollector().collect();
            AuditResult r = Auditor.audit(ViewBuilder.fromSnapshot(snap, ServiceNames.iana(), null),
                    Policy.none(), null, ServiceNames.iana(), java.time.Clock.systemUTC());
            long myPid = ProcessHandle.current().pid();
            assertThat(r.listeners()).anySatisfy(l -> {
                assertThat(l.protocol()).isEqualTo(Protocol.TCP);
                assertThat(l.port()).isEqualTo(tcp.getLocalPort());
                assertThat(l.address()).isEqualTo("127.0.0.1");
                assertThat(l.scope().label()).isEqualTo("loopback");
                assertThat(l.owners()).anySatisfy(o -> assertThat(o.pid()).isEqualTo((int) myPid));
            });
            assertThat(r.listeners()).anySatisfy(l -> {
                assertThat(l.protocol()).isEqualTo(Protocol.UDP);
                assertThat(l.port()).isEqualTo(udp.getLocalPort());
            });
            assertThat(r.viewsPresent()).contains("listeners");
            assertThat(r.viewsMissing()).contains("scan");
        }
    }
}
