package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device-identity probe: the Java collector and the sh snippet (SSH, collect script) give the same text. */
class DeviceIdProbeTest {
    @TempDir
    Path tmp;

    @Test
    void serialFromTheDeviceTreeMachineIdAndTheFirstPhysicalInterfacesMac() throws Exception {
        Path proc = tmp.resolve("proc"), sys = tmp.resolve("sys"), etc = tmp.resolve("etc");
        Files.createDirectories(proc.resolve("device-tree"));
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.write(proc.resolve("device-tree/serial-number"), "00A4400123\0".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(proc.resolve("device-tree/model"), "Atmark Techno Armadillo-440\0".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(proc.resolve("sys/kernel/hostname"), "armadillo\n");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("machine-id"), "0123456789abcdef0123456789abcdef\n");
        Path lo = Files.createDirectories(sys.resolve("class/net/lo"));
        Files.writeString(lo.resolve("address"), "00:00:00:00:00:00\n");
        Path eth1 = Files.createDirectories(sys.resolve("class/net/eth1"));
        Files.createDirectories(eth1.resolve("device"));
        Files.writeString(eth1.resolve("address"), "00:11:0c:00:00:02\n");
        Path eth0 = Files.createDirectories(sys.resolve("class/net/eth0"));
        Files.createDirectories(eth0.resolve("device"));
        Files.writeString(eth0.resolve("address"), "00:11:0c:00:00:01\n");
        Path veth = Files.createDirectories(sys.resolve("class/net/avirtual"));   // no device link: not physical
        Files.writeString(veth.resolve("address"), "02:00:00:00:00:09\n");
        assertThat(LocalCollector.deviceId(proc, sys, etc)).isEqualTo("""
                serial\t00A4400123
                machine-id\t0123456789abcdef0123456789abcdef
                model\tAtmark Techno Armadillo-440
                hostname\tarmadillo
                mac\t00:11:0c:00:00:01\teth0
                """);
    }

    @Test
    void theShellSnippetSaysWhatTheJavaCollectorSaysOnThisMachine() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", CaptureCommands.PRELUDE + CaptureCommands.DEVICE_ID_BODY).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).isEqualTo(LocalCollector.deviceId(Path.of("/proc"), Path.of("/sys"), Path.of("/etc")));
        assertThat(out).contains("hostname\t");
    }
}
