package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SnapshotBuilderTest {
    @Test
    void splitsFramedTablesKeepingACutOne() {
        String out = "noise before\n==> self tcp\n  sl  local_address\n   0: 00000000:0016\n<== 0\n"
                + "==> 123 udp\n<== 1 cannot read /proc/123/net/udp\n"
                + "==> bad;pid tcp\nignored\n<== 0\n"
                + "==> 77 tcp6\n  sl  local\n   0: 0000";
        List<SnapshotBuilder.Table> t = SnapshotBuilder.splitTables(out);
        assertThat(t).containsExactly(
                new SnapshotBuilder.Table("self", "tcp", 0, "  sl  local_address\n   0: 00000000:0016\n", "", true),
                new SnapshotBuilder.Table("123", "udp", 1, "", "cannot read /proc/123/net/udp", true),
                new SnapshotBuilder.Table("77", "tcp6", null, "  sl  local\n   0: 0000\n", "", false));
    }

    @Test
    void theFramingCommandRunsUnderShAndSplitsBack() throws Exception {
        String body = CaptureCommands.procTablesBody(List.of("self", "999999999"));
        Process p = new ProcessBuilder("/bin/sh", "-c", body).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // read before waiting: the host's tables can be larger than a pipe's buffer
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<SnapshotBuilder.Table> t = SnapshotBuilder.splitTables(out);
        assertThat(t).hasSize(8);
        assertThat(t.subList(0, 4)).allSatisfy(x -> {
            assertThat(x.member()).isEqualTo("self");
            assertThat(x.exit()).isZero();
            assertThat(x.text().strip()).startsWith("sl  local_address");
        });
        assertThat(t.subList(4, 8)).allSatisfy(x -> assertThat(x.exit()).isEqualTo(1));
        assertThatThrownBy(() -> CaptureCommands.procTablesBody(List.of("1; reboot"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesTheNetnsListAndFindsTheOwnNamespace() {
        var l = SnapshotBuilder.parseNetnsList("net:[1]\tself\nnet:[2]\t42\njunk\nnet:[3]\t$(id)\n-\tself\n");
        assertThat(l).containsExactly(new SnapshotBuilder.Netns("net:[1]", "self"), new SnapshotBuilder.Netns("net:[2]", "42"),
                new SnapshotBuilder.Netns(null, "self"));
        assertThat(SnapshotBuilder.ownNetns(l)).isEqualTo("net:[1]");
    }

    /** Issue 20: a device without podman runs no podman containers: no note about it; other missing tools are noted. */
    @Test
    void noNoteAboutPodmanWhenThereIsNoPodman() {
        SnapshotBuilder b = new SnapshotBuilder("test");
        java.time.Instant at = java.time.Instant.EPOCH;
        assertThat(b.add(io.portaudit.model.DeviceSnapshot.KIND_PODMAN_PS, "podman ps", CaptureCommands.NOT_FOUND, "", "sh: podman: not found", at, null, false)).isNull();
        assertThat(b.add(io.portaudit.model.DeviceSnapshot.KIND_SS, "ss -tulnpe", CaptureCommands.NOT_FOUND, "", "sh: ss: not found", at, null, false)).isNull();
        assertThat(b.build("h", at).notes()).containsExactly("ss is not available on the device: its output is not part of this audit");
    }
}
