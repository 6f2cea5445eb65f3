package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.inventory.Inventory;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three collectors feed the inventory view the same way: a listener of ours, collected by the
 * busybox-sh script and by LocalCollector, comes out once, in our namespace, owned by this JVM.
 */
class SnapshotToInventoryTest {
    @TempDir
    Path dir;

    @Test
    void bundleAndLocalSnapshotsGiveTheSameOwnedListener() throws Exception {
        Path bb = CollectScriptTest.tool("busybox");
        io.portaudit.lab.LabExtension.require(bb != null, "busybox");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DeviceSnapshot bundle = Bundle.read(CollectScriptTest.runScript(dir, List.of(bb.toString(), "sh"), Map.of(), "b.tgz"));
            DeviceSnapshot local = new LocalCollector().collect();
            String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            for (DeviceSnapshot snap : List.of(bundle, local)) {
                // namespace-bound facts carry the namespace, so a view groups them with its tables
                for (String k : List.of(DeviceSnapshot.KIND_BINDV6ONLY, DeviceSnapshot.KIND_IP_ADDR)) {
                    assertThat(snap.first(k).map(Capture::netns)).as(k).contains(own);
                }
                assertThat(snap.first(DeviceSnapshot.KIND_UNAME).orElseThrow().netns()).isNull();
                Problems problems = new Problems();
                List<Listener> mine = Inventory.fromSnapshot(snap, ServiceNames.iana(), problems).stream()
                        .filter(l -> l.port() == s.getLocalPort() && own.equals(l.netns())).toList();
                assertThat(mine).as(snap.source()).hasSize(1);
                assertThat(mine.get(0).owners()).as(snap.source()).anyMatch(o -> o.pid() == ProcessHandle.current().pid());
            }
        }
    }
}
