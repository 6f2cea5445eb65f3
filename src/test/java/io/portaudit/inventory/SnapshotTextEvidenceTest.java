package io.portaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.BindScope;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A collected snapshot holds the kernel tables and, from the same namespace, {@code ss -tulnpe}: its
 * per-socket {@code v6only:} and owners are evidence /proc/net lacks, and beat the namespace's
 * bindv6only. Captures: the lab pa-440's /proc/net/tcp6 and {@code ss -ltnpe} of the same run
 * (inode 24069 is socat's {@code [::]:6000}, IPV6_V6ONLY=1).
 */
class SnapshotTextEvidenceTest {
    static Capture lab(String kind, String file, String text) throws Exception {
        String body = text != null ? text : Files.readString(Path.of("src/test/resources/fixtures/lab/pa-440/" + file));
        return new Capture(kind, file, 0, body, "", Instant.EPOCH, "bundle:test", false);
    }

    static Listener x11v6(Capture... caps) {
        Problems p = new Problems();
        List<Listener> ls = Inventory.fromSnapshot(new DeviceSnapshot("bundle:test", "pa-440", Instant.EPOCH, List.of(caps), false, List.of()),
                ServiceNames.iana(), p);
        return ls.stream().filter(l -> l.port() == 6000 && l.address().equals("::")).findFirst().orElseThrow();
    }

    @Test
    void ssDashEOfTheSameNamespaceSettlesDualStackAndOwners() throws Exception {
        // bindv6only=0 would make [::]:6000 dual-stack; ss -e says this socket set v6only:1
        Listener l = x11v6(lab(DeviceSnapshot.KIND_PROC_NET_TCP6, "proc-net-tcp6.txt", null), lab(DeviceSnapshot.KIND_BINDV6ONLY, "bindv6only", "0\n"),
                lab(DeviceSnapshot.KIND_SS, "ss-ltnpe.txt", null));
        assertThat(l.dualStack()).isFalse();
        assertThat(l.scope()).isEqualTo(BindScope.ALL);
        assertThat(l.note()).contains("v6only:1");
        assertThat(l.owners()).extracting(o -> o.comm()).containsExactly("socat");
        assertThat(l.reaches(io.portaudit.model.AddressFamily.IPV4)).isFalse();
    }

    @Test
    void withoutTheSsTextTheNamespaceDefaultDecidesAndSaysSo() throws Exception {
        Listener l = x11v6(lab(DeviceSnapshot.KIND_PROC_NET_TCP6, "proc-net-tcp6.txt", null), lab(DeviceSnapshot.KIND_BINDV6ONLY, "bindv6only", "0\n"));
        assertThat(l.scope()).isEqualTo(BindScope.ALL_PLUS_IPV4);
        assertThat(l.note()).contains("net.ipv6.bindv6only=0");
        assertThat(l.reaches(io.portaudit.model.AddressFamily.IPV4)).isTrue();
    }
}
