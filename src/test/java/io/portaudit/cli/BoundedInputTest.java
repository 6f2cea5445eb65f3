package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.model.BoundedRead;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that never end (devices, FIFOs, standard input) are stopped by the bytes actually read, with
 * exit 2 and the limit named; they used to run to OutOfMemoryError (the size limit read the file's
 * size, which is 0 for all of them).
 */
class BoundedInputTest {

    /** An endless stream of one byte value, as /dev/zero (or of short lines, as a chatty pipe). */
    static InputStream endless(byte[] pattern) {
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                return pattern[(int) (pos++ % pattern.length)] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) b[off + i] = pattern[(int) (pos++ % pattern.length)];
                return len;
            }
        };
    }

    @Test
    void devZeroIsStoppedAtTheLineLimitInEveryCommand() {
        for (String[] args : new String[][] {{"audit", "--input", "/dev/zero"}, {"audit", "--input", "iptables-save:/dev/zero"},
                {"inventory", "--from", "/dev/zero"}, {"firewall", "/dev/zero"}, {"audit", "--policy", "/dev/zero", "--input", "/dev/zero"},
                {"scan", "-iL", "/dev/zero"}, {"audit", "--services", "/dev/zero", "--input", "/dev/zero"}}) {
            MainTest.Run r = MainTest.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", args)).contains("/dev/zero", "line 1 is longer than 1 MiB (the limit for one line)");
        }
    }

    @Test
    void devUrandomIsStoppedAtTheByteLimit() {
        MainTest.Run r = MainTest.run("audit", "--input", "/dev/urandom");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        // random bytes hold a line feed every 256 bytes on average: the byte limit stops them
        assertThat(r.err()).contains("--input /dev/urandom: ").containsAnyOf("more than 64 MiB (the limit for one input)", "(the limit for one line)");
    }

    @Test
    void standardInputIsCountedAsItIsRead() {
        InputStream old = System.in;
        try {
            System.setIn(endless(new byte[] {0}));
            MainTest.Run zero = MainTest.run("firewall", "-");
            assertThat(zero.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(zero.err()).contains("<stdin>: line 1 is longer than 1 MiB");
            System.setIn(endless("-A INPUT -p tcp --dport 22 -j ACCEPT\n".getBytes(StandardCharsets.US_ASCII)));
            MainTest.Run lines = MainTest.run("firewall", "-");
            assertThat(lines.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(lines.err()).contains("<stdin>: more than 64 MiB (the limit for one input)");
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void aFifoIsCountedAsItIsRead(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("rules.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            byte[] line = "tcp   0   0 0.0.0.0:23   0.0.0.0:*   LISTEN\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream o = Files.newOutputStream(fifo)) {
                for (int i = 0; i < 100_000; i++) o.write(line);   // bounded: 4.4 GB at most, stopped by the reader long before
            } catch (IOException e) {
                // the reader closed the FIFO: expected
            }
        });
        MainTest.Run r = MainTest.run("inventory", "--from", fifo.toString());
        writer.join(10_000);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(fifo.toString(), "more than 64 MiB (the limit for one input)");
    }

    @Test
    void theReaderCountsLinesAndLetsOneLineJsonAndXmlThrough() throws IOException {
        byte[] ok = ("a".repeat(100) + "\n").repeat(3).getBytes(StandardCharsets.US_ASCII);
        assertThat(BoundedRead.read(new ByteArrayInputStream(ok), 1000, 101)).isEqualTo(ok);
        assertThatThrownBy(() -> BoundedRead.read(new ByteArrayInputStream(ok), 1000, 99))
                .isInstanceOf(BoundedRead.TooLarge.class).hasMessage("line 1 is longer than 99 bytes (the limit for one line)");
        byte[] third = ("a\nb\n" + "c".repeat(50)).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> BoundedRead.read(new ByteArrayInputStream(third), 1000, 10)).hasMessageStartingWith("line 3 ");
        assertThatThrownBy(() -> BoundedRead.read(new ByteArrayInputStream(ok), 302, 1000)).hasMessage("more than 302 bytes (the limit for one input)");
        assertThat(BoundedRead.read(new ByteArrayInputStream(ok), 303, 1000)).hasSize(303);
        // nft -j writes its whole ruleset on one line; XML may come on one line too
        byte[] json = ("\ufeff {\"nftables\": [" + "{\"x\": 1},".repeat(100) + "{}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(BoundedRead.read(new ByteArrayInputStream(json), 10_000, 10)).isEqualTo(json);
        byte[] xml = ("<nmaprun>" + "<x/>".repeat(100) + "</nmaprun>").getBytes(StandardCharsets.UTF_8);
        assertThat(BoundedRead.read(new ByteArrayInputStream(xml), 10_000, 10)).isEqualTo(xml);
        assertThatThrownBy(() -> BoundedRead.read(new ByteArrayInputStream(json), 100, 10)).hasMessageContaining("more than 100 bytes");
    }
}
