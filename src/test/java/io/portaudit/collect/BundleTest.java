package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.model.DeviceSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
    @TempDir
    Path dir;

    private DeviceSnapshot read(byte[] bytes) throws Exception {
        return read(bytes, Bundle.Limits.DEFAULT);
    }

    private DeviceSnapshot read(byte[] bytes, Bundle.Limits limits) throws Exception {
        Path f = dir.resolve("work").resolve("b.tar.gz");
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return Bundle.read(f, limits);
    }

    @Test
    void readsAValidTarGzBundleIntoASnapshot() throws Exception {
        DeviceSnapshot s = read(TarBuilder.validBundle().tarGz());
        assertThat(s.source()).isEqualTo("bundle:b.tar.gz");
        assertThat(s.host()).isEqualTo("armadillo");
        assertThat(s.collectedAt()).isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(s.partial()).isFalse();
        assertThat(s.captures()).extracting(c -> c.kind()).containsExactly("uname", "iptables-save", "proc-net-tcp", "socket-owners");
        var tcp = s.first(DeviceSnapshot.KIND_PROC_NET_TCP).orElseThrow();
        assertThat(tcp.netns()).isEqualTo("net:[4026531840]");
        assertThat(tcp.command()).isEqualTo("cat /proc/self/net/tcp");
        assertThat(tcp.exitStatus()).isZero();
        assertThat(tcp.collectedAt()).isEqualTo(Instant.ofEpochSecond(1700000002));
        assertThat(tcp.stdout()).isEqualTo(TarBuilder.TCP);
        assertThat(s.first(DeviceSnapshot.KIND_SOCKET_OWNERS).orElseThrow().stdout()).isEqualTo(TarBuilder.OWNERS);
        // a missing tool is a note, never an empty ruleset
        assertThat(s.has(DeviceSnapshot.KIND_NFT_JSON)).isFalse();
        assertThat(s.notes()).anyMatch(n -> n.startsWith("nft is not available"));
    }

    @Test
    void readsAPlainTarAndATextBundle() throws Exception {
        assertThat(read(TarBuilder.validBundle().tar()).captures()).hasSize(4);
        StringBuilder t = new StringBuilder("portaudit-bundle-text\t1\n");
        String[][] files = {{"manifest", TarBuilder.MANIFEST}, {"0001.out", "Linux\n"}, {"0001.err", ""}, {"0002.out", "*filter\n"},
            {"0002.err", ""}, {"0003.out", ""}, {"0004.out", TarBuilder.TCP}, {"0005.out", TarBuilder.OWNERS}};
        for (String[] f : files) {
            t.append("=== ").append(f[0]).append(' ').append(f[1].getBytes(StandardCharsets.UTF_8).length).append('\n').append(f[1]).append('\n');
        }
        DeviceSnapshot s = read(t.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(s.first("proc-net-tcp").orElseThrow().stdout()).isEqualTo(TarBuilder.TCP);
        assertThat(s.first("uname").orElseThrow().stdout()).isEqualTo("Linux\n");
        // a gzipped text bundle works too
        assertThat(read(TarBuilder.gzip(t.toString().getBytes(StandardCharsets.UTF_8))).captures()).hasSize(4);
    }

    @Test
    void aFutureVersionIsRefusedClearly() {
        byte[] b = new TarBuilder().file("portaudit-bundle/manifest", "portaudit-bundle\t2\ncreated\t1\n").tarGz();
        assertThatThrownBy(() -> read(b)).isInstanceOf(BundleException.class)
                .hasMessageContaining("format version 2 is newer").hasMessageContaining("upgrade portaudit");
        assertThatThrownBy(() -> read("portaudit-bundle-text\t7\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("format version 7 is newer");
    }

    @Test
    void corruptInputIsRefused() {
        assertThatThrownBy(() -> read("hello, this is not a bundle at all\n".repeat(40).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BundleException.class).hasMessageContaining("corrupt tar header");
        byte[] gz = TarBuilder.validBundle().tarGz();
        byte[] flipped = gz.clone();
        flipped[gz.length / 2] ^= 0x55;
        assertThatThrownBy(() -> read(flipped)).isInstanceOf(BundleException.class).hasMessageMatching("(?s).*(corrupt|truncated).*");
        assertThatThrownBy(() -> read(new byte[0])).isInstanceOf(BundleException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> read(new TarBuilder().file("portaudit-bundle/0001.out", "x").tarGz()))
                .hasMessageContaining("no manifest");
        String badEntry = TarBuilder.MANIFEST.replace("entry\t0001\tuname\t0", "entry\t0001\tuname\tzero");
        assertThatThrownBy(() -> read(new TarBuilder().file("portaudit-bundle/manifest", badEntry).tarGz()))
                .hasMessageContaining("corrupt manifest, line 4");
    }

    @Test
    void truncatedBundlesAreRefused() {
        byte[] gz = TarBuilder.validBundle().tarGz();
        assertThatThrownBy(() -> read(Arrays.copyOf(gz, gz.length - 30))).isInstanceOf(BundleException.class)
                .hasMessageContaining("truncated");
        byte[] tar = TarBuilder.validBundle().tar();
        assertThatThrownBy(() -> read(Arrays.copyOf(tar, 512 * 3 + 100))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(tar, 1536))).hasMessageContaining("truncated tar");
        byte[] text = "portaudit-bundle-text\t1\n=== manifest 500\nportaudit-bundle\t1\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(text)).hasMessageContaining("truncated text bundle");
    }

    @Test
    void oversizedBundlesAreRefusedBeforeReadingThem() {
        // an entry claiming 1 TiB: refused from its header, nothing allocated
        byte[] huge = new TarBuilder().entry("portaudit-bundle/0001.out", '0', new byte[0], "", 1L << 40).tarGz();
        assertThatThrownBy(() -> read(huge)).hasMessageMatching("(?s).*(too large|number too large).*");
        byte[] big = new TarBuilder().entry("portaudit-bundle/0001.out", '0', new byte[0], "", 70L << 20).tarGz();
        assertThatThrownBy(() -> read(big)).hasMessageContaining("is too large");
        Bundle.Limits small = new Bundle.Limits(1 << 20, 5, 1000, 1 << 20);
        assertThatThrownBy(() -> read(TarBuilder.validBundle().tarGz(), small)).hasMessageContaining("too many entries");
        Bundle.Limits total = new Bundle.Limits(1 << 20, 100, 1000, 600);
        assertThatThrownBy(() -> read(TarBuilder.validBundle().tarGz(), total)).hasMessageContaining("too large");
        // a gzip bomb: 40 MB of zeros compresses to ~40 kB; the inflated stream is bounded
        byte[] bomb = TarBuilder.gzip(new byte[40 << 20]);
        Bundle.Limits tiny = new Bundle.Limits(1 << 20, 100, 1 << 20, 1 << 20);
        assertThatThrownBy(() -> read(bomb, tiny)).isInstanceOf(BundleException.class);
        Bundle.Limits file = new Bundle.Limits(100, 100, 1000, 1000);
        assertThatThrownBy(() -> read(TarBuilder.validBundle().tarGz(), file)).hasMessageContaining("bundle too large");
    }

    @Test
    void unsafeEntriesAreRejectedAndNothingIsWritten() throws Exception {
        Path outside = dir.resolve("evil");
        Object[][] cases = {
            {new TarBuilder().file("../evil", "x"), "leaves the bundle"},
            {new TarBuilder().file("portaudit-bundle/../../evil", "x"), "leaves the bundle"},
            {new TarBuilder().file(outside.toString(), "x"), "absolute path"},
            {new TarBuilder().entry("portaudit-bundle/manifest", '2', new byte[0], "/etc/shadow", -1), "symbolic link"},
            {new TarBuilder().entry("portaudit-bundle/0001.out", '1', new byte[0], "/etc/passwd", -1), "hard link"},
            {new TarBuilder().entry("portaudit-bundle/dev", '3', new byte[0], "", -1), "device node"},
            {new TarBuilder().entry("portaudit-bundle/blk", '4', new byte[0], "", -1), "device node"},
            {new TarBuilder().entry("portaudit-bundle/fifo", '6', new byte[0], "", -1), "FIFO"},
            {new TarBuilder().entry("portaudit-bundle/pax", 'x', new byte[0], "", -1), "unsupported tar type"},
            {new TarBuilder().file("portaudit-bundle/manifest", TarBuilder.MANIFEST).file("portaudit-bundle/manifest", "x"), "duplicate"},
            {new TarBuilder().file("portaudit-bundle/sub/x", "x"), "unexpected entry"},
            {new TarBuilder().file("portaudit-bundle/a\\b", "x"), "unexpected name"},
        };
        for (Object[] c : cases) {
            assertThatThrownBy(() -> read(((TarBuilder) c[0]).tarGz())).as((String) c[1])
                    .isInstanceOf(BundleException.class).hasMessageContaining((String) c[1]);
        }
        byte[] text = "portaudit-bundle-text\t1\n=== ../evil 1\nx\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(text)).hasMessageContaining("leaves the bundle");
        // the reader never writes: the directory holds only the input file
        assertThat(Files.exists(outside)).isFalse();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())).containsExactly("work/b.tar.gz");
        }
    }

    @Test
    void aBundleWithoutItsEndRecordIsPartial() throws Exception {
        String m = TarBuilder.MANIFEST.replace("end\t1700000004\n", "");
        TarBuilder t = new TarBuilder().file("portaudit-bundle/manifest", m)
                .file("portaudit-bundle/0001.out", "Linux\n").file("portaudit-bundle/0002.out", "")
                .file("portaudit-bundle/0003.out", "").file("portaudit-bundle/0004.out", "").file("portaudit-bundle/0005.out", "");
        DeviceSnapshot s = read(t.tarGz());
        assertThat(s.partial()).isTrue();
        assertThat(s.notes()).anyMatch(n -> n.contains("interrupted"));
    }

    @Test
    void entriesTheManifestDoesNotNameAreCheckedButNotKept() throws Exception {
        // the manifest last (as in a text bundle), after outputs it does not name: they are dropped, the named ones kept
        TarBuilder t = new TarBuilder().file("portaudit-bundle/9999.out", "not named\n").file("portaudit-bundle/notes.log", "x\n")
                .file("portaudit-bundle/0001.out", "Linux\n").file("portaudit-bundle/0002.out", "*filter\n")
                .file("portaudit-bundle/0003.out", "").file("portaudit-bundle/0004.out", TarBuilder.TCP)
                .file("portaudit-bundle/0005.out", TarBuilder.OWNERS).file("portaudit-bundle/manifest", TarBuilder.MANIFEST);
        DeviceSnapshot s = read(t.tarGz());
        assertThat(s.captures()).extracting(c -> c.kind()).containsExactly("uname", "iptables-save", "proc-net-tcp", "socket-owners");
        assertThat(s.captures()).noneMatch(c -> c.stdout().contains("not named"));
        assertThat(s.first("proc-net-tcp").orElseThrow().stdout()).isEqualTo(TarBuilder.TCP);
        // an entry that is not kept is still read and checked: cut short, duplicated or too large, the bundle is refused
        byte[] tar = new TarBuilder().file("portaudit-bundle/manifest", TarBuilder.MANIFEST)
                .entry("portaudit-bundle/9999.out", '0', new byte[100], "", 5000).tar();
        assertThatThrownBy(() -> read(Arrays.copyOf(tar, tar.length - 1024))).hasMessageContaining("truncated tar: entry 'portaudit-bundle/9999.out' is cut short");
        assertThatThrownBy(() -> read(validWith().file("portaudit-bundle/x.log", "a").file("portaudit-bundle/x.log", "b").tarGz()))
                .hasMessageContaining("duplicate entry 'portaudit-bundle/x.log'");
        Bundle.Limits small = new Bundle.Limits(1 << 20, 100, 1000, 1 << 20);
        assertThatThrownBy(() -> read(validWith().file("portaudit-bundle/x.log", "y".repeat(1001)).tarGz(), small))
                .hasMessageContaining("entry 'portaudit-bundle/x.log' is too large (1001 bytes; limit 1000)");
        String text = "portaudit-bundle-text\t1\n=== 9999.out 100\nshort\n";
        assertThatThrownBy(() -> read(text.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("truncated text bundle: entry '9999.out'");
    }

    @Test
    void aBundleThatCanBeReadOnlyOnceIsReadInOnePass() throws Exception {
        // a pipe (fleet tests give one that hangs): opened once; numbered outputs the manifest does not name are dropped
        TarBuilder t = new TarBuilder().file("portaudit-bundle/9999.out", "not named\n").file("portaudit-bundle/0001.out", "Linux\n")
                .file("portaudit-bundle/0002.out", "*filter\n").file("portaudit-bundle/manifest", TarBuilder.MANIFEST)
                .file("portaudit-bundle/9998.out", "not named either\n").file("portaudit-bundle/0003.out", "")
                .file("portaudit-bundle/0004.out", TarBuilder.TCP).file("portaudit-bundle/0005.out", TarBuilder.OWNERS);
        byte[] gz = t.tarGz();
        int[] opened = {0};
        DeviceSnapshot once = Bundle.read(() -> {
            opened[0]++;
            return new java.io.ByteArrayInputStream(gz);
        }, false, "bundle:b.tar.gz", Bundle.Limits.DEFAULT);
        assertThat(opened[0]).isEqualTo(1);
        DeviceSnapshot twice = read(gz);
        assertThat(once).isEqualTo(twice);
        assertThat(once.captures()).extracting(c -> c.kind()).containsExactly("uname", "iptables-save", "proc-net-tcp", "socket-owners");
        assertThat(once.captures()).noneMatch(c -> c.stdout().contains("not named"));
        assertThatThrownBy(() -> Bundle.read(() -> new java.io.ByteArrayInputStream(new TarBuilder().file("portaudit-bundle/0001.out", "x").tarGz()),
                false, "bundle:b", Bundle.Limits.DEFAULT)).hasMessageContaining("no manifest");
    }

    @Test
    void theEntryLimitIsThePastedInputLimit() {
        assertThat(Bundle.Limits.DEFAULT.maxEntryBytes()).isEqualTo(io.portaudit.model.BoundedRead.MAX_BYTES);
    }

    @Test
    void aBundleThatChangesBetweenItsTwoReadsIsRefused() {
        byte[] one = TarBuilder.validBundle().tarGz();
        byte[] two = new TarBuilder().file("portaudit-bundle/manifest", TarBuilder.MANIFEST.replace("armadillo", "other"))
                .file("portaudit-bundle/0001.out", "Linux\n").file("portaudit-bundle/0002.out", "").file("portaudit-bundle/0003.out", "")
                .file("portaudit-bundle/0004.out", "").file("portaudit-bundle/0005.out", "").tarGz();
        int[] opened = {0};
        assertThatThrownBy(() -> Bundle.read(() -> new java.io.ByteArrayInputStream(opened[0]++ == 0 ? one : two), true, "bundle:b", Bundle.Limits.DEFAULT))
                .isInstanceOf(BundleException.class).hasMessageContaining("changed while it was read");
        assertThat(opened[0]).isEqualTo(2);
    }

    private static TarBuilder validWith() {
        return new TarBuilder().file("portaudit-bundle/manifest", TarBuilder.MANIFEST).file("portaudit-bundle/0001.out", "Linux\n")
                .file("portaudit-bundle/0002.out", "").file("portaudit-bundle/0003.out", "").file("portaudit-bundle/0004.out", "")
                .file("portaudit-bundle/0005.out", "");
    }

    @Test
    void aMissingFileIsAnIoError() {
        assertThatThrownBy(() -> Bundle.read(dir.resolve("nope.tar.gz"))).isInstanceOf(IOException.class);
    }
}
