package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import io.portaudit.scan.NmapOutputs;
import io.portaudit.model.PortState;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
    @TempDir
    Path dir;

    private static int run(String... args) {
        return Main.commandLine().execute(args);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("scan", "-p", "99999", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "-p", "nosuchservice", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "-T", "9", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "-p", "80", "--top-ports", "10", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aCompletedLoopbackScanExitsZeroAndWritesEveryFormat() throws IOException {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress("127.0.0.1", 0));
            String base = dir.resolve("out").toString();
            int rc = run("scan", "-T4", "-p", "1-200," + ss.getLocalPort(), "-oA", base, "--reason", "127.0.0.1");
            assertThat(rc).isEqualTo(ExitCodes.OK);
            var xml = NmapOutputs.read("xml", Files.readString(Path.of(base + ".xml")));
            assertThat(xml.problems()).isEmpty();
            assertThat(xml.ports()).anySatisfy(p -> {
                assertThat(p.port()).isEqualTo(ss.getLocalPort());
                assertThat(p.state()).isEqualTo(PortState.OPEN);
            });
            var normal = NmapOutputs.read("nmap", Files.readString(Path.of(base + ".nmap")));
            assertThat(normal.count(PortState.OPEN) + normal.count(PortState.CLOSED)).isEqualTo(201);
            assertThat(Files.readString(Path.of(base + ".gnmap"))).contains("Host: 127.0.0.1 ()\tStatus: Up");
        }
    }

    @Test
    void aTargetThatCannotBeScannedExitsThree() {
        // an unresolvable name (-n forbids DNS) next to a good target: the good one is scanned, exit 3
        assertThat(run("scan", "-n", "-p", "1-5", "-oX", dir.resolve("x.xml").toString(), "127.0.0.1", "no-such-host.invalid"))
                .isEqualTo(ExitCodes.INCOMPLETE);
    }

    @Test
    void sigtermWritesWellFormedPartialXmlAndExitsThree() throws Exception {
        Path xml = dir.resolve("partial.xml");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main",
                "scan", "-p", "1-20000", "--scan-delay", "5ms", "-oX", xml.toString(), "127.0.0.1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            for (int i = 0; i < 100 && (!Files.exists(xml) || Files.size(xml) == 0); i++) Thread.sleep(100);
            Thread.sleep(1000);
            p.destroy();  // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("log"))).isEqualTo(ExitCodes.INCOMPLETE);
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(xml);
        assertThat(text).contains("exit=\"error\"").contains("partial: interrupted");
        assertThat(NmapOutputs.read("partial", text).problems()).isEmpty();
        if (new File("/usr/bin/xmllint").canExecute()) {
            assertThat(Lab.run(Duration.ofSeconds(30), "xmllint", "--noout", xml.toString()).exit()).isZero();
        }
    }
}
