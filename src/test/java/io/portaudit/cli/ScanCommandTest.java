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
        assertThat(run("scan", "-sn", "-p", "80", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "-sn", "-sV", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "--exclude-ports", "70000", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "-p", "80", "--exclude-ports", "80", "127.0.0.1")).as("nothing left to scan").isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "-6", "-p", "80", "127.0.0.1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "-4", "-p", "80", "::1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("scan", "-4", "-6", "-p", "80", "::1")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void familyOptionsAcceptTheirOwnFamily() throws IOException {
        assertThat(stdout("scan", "-6", "-p", "80", "::1")).contains("scan report for ::1");
        assertThat(stdout("scan", "-4", "-n", "-p", "80", "localhost")).contains("scan report for 127.0.0.1");
    }

    /** Runs in this JVM with standard output captured. */
    private static String stdout(String... args) {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(run(args)).isEqualTo(ExitCodes.OK);
        } finally {
            System.setOut(saved);
        }
        return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void assertWellFormed(String xml) throws IOException {
        assertThat(NmapOutputs.read("xml", xml).problems()).isEmpty();
        if (new File("/usr/bin/xmllint").canExecute()) {
            Path f = dir.resolve("check.xml");
            Files.writeString(f, xml);
            Lab.Result r = Lab.run(Duration.ofSeconds(30), "xmllint", "--noout", f.toString());
            assertThat(r.exit()).as(r.err()).isZero();
        }
    }

    @Test
    void xmlOnStandardOutputIsOneWellFormedDocument() throws IOException {
        // a stream cannot be rewound: the provisional "in progress" trailers of a file must not reach it
        String xml = stdout("scan", "-T4", "-p", "1-50", "-oX", "-", "127.0.0.1", "127.0.0.2");
        assertWellFormed(xml);
        assertThat(xml.split("</nmaprun>", -1)).hasSize(2);
        assertThat(xml).doesNotContain("scan in progress").contains("<hosts up=\"2\" down=\"0\" total=\"2\"/>");
    }

    @Test
    void pingScanListsTheHostsThatAnswerWithoutPorts() throws IOException {
        String base = dir.resolve("sn").toString();
        String normal = stdout("scan", "-sn", "-oA", base, "-oN", "-", "127.0.0.1-3");
        assertThat(normal.split("Host is up", -1)).hasSize(4);
        assertThat(normal).doesNotContain("PORT").contains("3 IP addresses (3 hosts up)");
        String xml = Files.readString(Path.of(base + ".xml"));
        assertWellFormed(xml);
        assertThat(xml).doesNotContain("<ports").doesNotContain("<scaninfo").contains("<hosts up=\"3\" down=\"0\" total=\"3\"/>");
        assertThat(xml.split("<status state=\"up\" reason=\"conn-refused\"", -1)).hasSize(4);
        String gnmap = Files.readString(Path.of(base + ".gnmap"));
        assertThat(gnmap).contains("Host: 127.0.0.1 ()\tStatus: Up", "Host: 127.0.0.3 ()\tStatus: Up").doesNotContain("Ports:");
    }

    /** The ports of --json port records, in the order they were reported. */
    private static List<Integer> jsonPorts(String lines) throws IOException {
        List<Integer> out = new ArrayList<>();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String l : lines.split("\n")) {
            if (l.isBlank()) continue;
            var n = mapper.readTree(l);
            if (n.path("type").asText().equals("port")) out.add(n.path("port").asInt());
        }
        return out;
    }

    @Test
    void excludePortsAndAscendingOrder() throws IOException {
        List<Integer> sequential = jsonPorts(stdout("scan", "-T4", "-r", "-p", "1-300", "--exclude-ports", "100-199,T:250", "--json", "127.0.0.1"));
        assertThat(sequential).hasSize(199).doesNotContain(100, 150, 199, 250).contains(99, 200, 300).isSorted();
        List<Integer> random = jsonPorts(stdout("scan", "-T4", "-p", "1-300", "--json", "127.0.0.1"));
        assertThat(random).hasSize(300);
        assertThat(random).as("without -r the order is random").isNotEqualTo(random.stream().sorted().toList());
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

    /**
     * A 20,000-port scan of loopback slowed down with --scan-delay, in a process of its own, stopped
     * with SIGTERM after a second: exit 3; returns the XML it wrote to {@code xml} ("-": standard
     * output, which the test sends to a file).
     */
    private String interruptedXml(String xml) throws Exception {
        Path out = xml.equals("-") ? dir.resolve("stdout.xml") : Path.of(xml);
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main",
                "scan", "-p", "1-20000", "--scan-delay", "5ms", "-oX", xml, "127.0.0.1"));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("err").toFile())
                .redirectOutput(xml.equals("-") ? out.toFile() : dir.resolve("log").toFile()).start();
        try {
            for (int i = 0; i < 100 && (!Files.exists(out) || Files.size(out) == 0); i++) Thread.sleep(100);
            Thread.sleep(1000);
            p.destroy();  // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("err"))).isEqualTo(ExitCodes.INCOMPLETE);
        } finally {
            p.destroyForcibly();
        }
        return Files.readString(out);
    }

    @Test
    void sigtermWritesWellFormedPartialXmlAndExitsThree() throws Exception {
        String text = interruptedXml(dir.resolve("partial.xml").toString());
        assertThat(text).contains("exit=\"error\"").contains("partial: interrupted");
        assertWellFormed(text);
    }

    @Test
    void sigtermWithXmlOnStandardOutputStillEndsTheDocument() throws Exception {
        String text = interruptedXml("-");
        assertThat(text).contains("exit=\"error\"").contains("partial: interrupted");
        assertWellFormed(text);
    }
}
