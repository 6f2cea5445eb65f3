package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.model.DeviceSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class RemoteOptionsTest {
    @TempDir
    Path dir;

    @Command(name = "t")
    static final class Cmd implements Runnable {
        @Mixin
        RemoteOptions remote;

        @Override
        public void run() {}
    }

    static RemoteOptions parse(String... args) {
        Cmd c = new Cmd();
        new CommandLine(c).parseArgs(args);
        c.remote.env = Map.of();
        c.remote.console = () -> null;
        return c.remote;
    }

    private final StringWriter errText = new StringWriter();
    private final PrintWriter err = new PrintWriter(errText, true);

    @Test
    void neitherSshNorBundleMeansThisMachine() {
        RemoteOptions r = parse();
        assertThat(r.isRemote()).isFalse();
        assertThat(r.collect(err)).isEmpty();
        assertThat(r.scanTarget()).isEmpty();
    }

    @Test
    void aBundleIsRead() throws Exception {
        Path b = dir.resolve("dev.txt");
        String manifest = "portaudit-bundle\t1\ncreated\t1700000000\nhost\tg3\nentry\t0001\tuname\t0\t1700000000\t-\tuname -a\nend\t1700000001\n";
        String text = "portaudit-bundle-text\t1\n=== manifest " + manifest.getBytes(StandardCharsets.UTF_8).length + "\n" + manifest
                + "\n=== 0001.out 6\nLinux\n\n";
        Files.writeString(b, text);
        Optional<DeviceSnapshot> s = parse("--bundle", b.toString()).collect(err);
        assertThat(s).isPresent();
        assertThat(s.get().host()).isEqualTo("g3");
        assertThat(s.get().source()).isEqualTo("bundle:dev.txt");
    }

    @Test
    void badInputIsAUsageErrorWithAClearMessage() throws Exception {
        assertThatThrownBy(() -> parse("--bundle", dir.resolve("none.tar.gz").toString()).collect(err))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("no such file");
        Path bad = dir.resolve("bad.tar.gz");
        Files.write(bad, TarBytes.traversal());
        assertThatThrownBy(() -> parse("--bundle", bad.toString()).collect(err))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("leaves the bundle");
        assertThatThrownBy(() -> parse("--bundle", bad.toString(), "--ssh", "h").collect(err)).hasMessageContaining("cannot be used together");
        assertThatThrownBy(() -> parse("--no-scan").collect(err)).hasMessageContaining("need --ssh");
        assertThatThrownBy(() -> parse("--ssh", "root@h;reboot").collect(err))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
    }

    @Test
    void anUnreachableDeviceExitsThree() throws Exception {
        // loopback port 1: nothing listens there; no traffic leaves the machine (an empty known_hosts: a missing one is an input error)
        java.nio.file.Files.writeString(dir.resolve("kh"), "");
        RemoteOptions r = parse("--ssh", "root@127.0.0.1:1", "--known-hosts", dir.resolve("kh").toString(), "--connect-timeout", "5");
        assertThatThrownBy(() -> r.collect(err))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.INCOMPLETE))
                .hasMessageContaining("cannot connect: connection refused").hasMessageNotContaining("Exception");
    }

    @Test
    void sshAlsoScansTheHostUnlessNoScan() {
        assertThat(parse("--ssh", "root@10.77.40.2:2222").scanTarget()).contains("10.77.40.2");
        assertThat(parse("--ssh", "root@10.77.40.2", "--no-scan").scanTarget()).isEmpty();
        assertThat(parse("--ssh", "atmark@[fd77:2::2]:22").scanTarget()).contains("fd77:2::2");
    }

    @Test
    void noPasswordPromptWithoutATerminal() {
        // surefire runs with redirected stdin/stdout: not a terminal, whatever System.console() says on JDK 22+
        assertThat(RemoteOptions.terminal()).isNull();
    }

    @Test
    void optionsReachTheCollector() {
        RemoteOptions r = parse("--ssh", "atmark@dev:2200", "-i", dir.toString(), "--known-hosts", "/x/kh", "--accept-new-host-key",
                "--connect-timeout", "2.5", "--command-timeout", "7");
        var o = r.sshOptions();
        assertThat(r.target().toString()).isEqualTo("atmark@dev:2200");
        assertThat(o.identities()).containsExactly(dir);
        assertThat(o.knownHosts()).isEqualTo(Path.of("/x/kh"));
        assertThat(o.acceptNewHostKey()).isTrue();
        assertThat(o.connectTimeout().toMillis()).isEqualTo(2500);
        assertThat(o.commandTimeout().toSeconds()).isEqualTo(7);
        assertThat(o.password()).as("no terminal: never a password prompt").isNull();
        assertThat(o.agentSocket()).isNull();
    }

    /** A tar.gz with a ../ entry, built without the collect package's test helper. */
    static final class TarBytes {
        static byte[] traversal() throws Exception {
            byte[] h = new byte[512];
            byte[] name = "../evil".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, h, 0, name.length);
            put(h, 100, "0000644");
            put(h, 124, "00000000001");
            h[156] = '0';
            put(h, 257, "ustar");
            for (int i = 148; i < 156; i++) h[i] = ' ';
            long sum = 0;
            for (byte x : h) sum += x & 0xff;
            put(h, 148, String.format("%06o", sum));
            var bo = new java.io.ByteArrayOutputStream();
            try (var gz = new java.util.zip.GZIPOutputStream(bo)) {
                gz.write(h);
                byte[] data = new byte[512];
                data[0] = 'x';
                gz.write(data);
                gz.write(new byte[1024]);
            }
            return bo.toByteArray();
        }

        private static void put(byte[] h, int off, String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, h, off, b.length);
        }
    }
}
