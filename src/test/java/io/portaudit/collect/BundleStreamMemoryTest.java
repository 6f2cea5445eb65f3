package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle is read as a stream (issue 15): memory is bounded by what the audit keeps (the manifest and the captures it
 * names), not by the bundle's size. A ~100 MiB bundle of entries the audit does not use beside the seed's G3 captures
 * is audited by {@code portaudit audit --bundle} in a JVM of its own with a 64 MiB heap, and must give the same JSON as
 * the same captures alone. The bundle is written as a stream, never held in this JVM's memory either.
 */
class BundleStreamMemoryTest {
    @TempDir
    Path dir;

    static final long FILLER_BYTES = 100L << 20;
    static final int FILLER_ENTRY_BYTES = 10 << 20;

    @Test
    void aHundredMegabyteBundleIsAuditedInA64MegabyteHeap() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small")).resolve("g3.tar.gz");
        Path big = Files.createDirectories(dir.resolve("big")).resolve("g3.tar.gz");
        writeBundle(small, 0);
        writeBundle(big, FILLER_BYTES);
        assertThat(Files.size(big)).as("compressed size, under the 64 MiB file limit").isLessThan(64L << 20);

        Lab.Result ref = audit(null, small);
        assertThat(ref.exit()).as(ref.err()).isIn(0, 1);
        assertThat(ref.out()).contains("\"ports\"");
        Lab.Result run = audit("-Xmx64m", big);
        assertThat(run.err()).doesNotContain("OutOfMemoryError");
        assertThat(run.exit()).as(run.err()).isEqualTo(ref.exit());
        assertThat(run.out()).isEqualTo(ref.out());
    }

    private static Lab.Result audit(String heap, Path bundle) {
        List<String> cmd = new ArrayList<>(Lab.portaudit("audit", "--bundle", bundle.toString(), "--json", "--no-store"));
        if (heap != null) cmd.add(1, heap);
        return Lab.run(Duration.ofSeconds(120), cmd);
    }

    /**
     * The seed's G3 {@code iptables -L} and {@code netstat -a} as a collect-script bundle; with {@code filler} bytes of
     * entries the audit does not use before the manifest: numbered outputs the manifest does not name (what a
     * one-pass reader could not tell from used ones before it saw the manifest) and files of other names.
     */
    static void writeBundle(Path file, long filler) throws IOException {
        String fw = Files.readString(Path.of("src/test/resources/fixtures/seed/g3-iptables-L.txt"));
        String ns = Files.readString(Path.of("src/test/resources/fixtures/seed/g3-netstat-a.txt"));
        String manifest = "portaudit-bundle\t1\ncreated\t1700000000\nhost\tarmadillo-g3\n"
                + "entry\t0001\tiptables-L\t0\t1700000001\t-\tiptables -L\n"
                + "entry\t0002\tnetstat\t0\t1700000002\t-\tnetstat -a\n"
                + "end\t1700000003\n";
        try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16)) {
            Tar tar = new Tar(out);
            tar.dir("portaudit-bundle/");
            byte[] line = "Dec  3 17:59:01 armadillo kernel: [12345.678901] eth0: link up, 100Mbps, full-duplex, lpa 0x45E1 -- filler\n"
                    .getBytes(StandardCharsets.US_ASCII);
            int n = 0;
            for (long left = filler; left > 0; left -= FILLER_ENTRY_BYTES) {
                int size = (int) Math.min(left, FILLER_ENTRY_BYTES);
                String name = n % 2 == 0 ? "portaudit-bundle/" + (9000 + n) + ".out" : "portaudit-bundle/dmesg-" + n + ".log";
                tar.header(name, size);
                for (int w = 0; w < size; ) {
                    int k = Math.min(line.length, size - w);
                    out.write(line, 0, k);
                    w += k;
                }
                tar.pad(size);
                n++;
            }
            tar.file("portaudit-bundle/manifest", manifest);
            tar.file("portaudit-bundle/0001.out", fw);
            tar.file("portaudit-bundle/0001.err", "");
            tar.file("portaudit-bundle/0002.out", ns);
            tar.file("portaudit-bundle/0002.err", "");
            out.write(new byte[1024]);
        }
    }

    /** A ustar writer to a stream. */
    private record Tar(OutputStream out) {
        void dir(String name) throws IOException {
            out.write(header(name, 0, '5'));
        }

        void header(String name, long size) throws IOException {
            out.write(header(name, size, '0'));
        }

        void file(String name, String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            header(name, b.length);
            out.write(b);
            pad(b.length);
        }

        void pad(long size) throws IOException {
            out.write(new byte[(int) ((512 - size % 512) % 512)]);
        }

        private static byte[] header(String name, long size, char type) {
            byte[] h = new byte[512];
            put(h, 0, name);
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", size));
            put(h, 136, String.format("%011o", 1700000000L));
            h[156] = (byte) type;
            put(h, 257, "ustar");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) h[i] = ' ';
            long sum = 0;
            for (byte b : h) sum += b & 0xff;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            h[155] = ' ';
            return h;
        }

        private static void put(byte[] h, int off, String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, h, off, b.length);
        }
    }
}
