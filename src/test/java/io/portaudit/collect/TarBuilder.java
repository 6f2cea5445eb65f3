package io.portaudit.collect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builds tar archives byte by byte, including hostile ones (links, devices, traversing names). */
final class TarBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TarBuilder file(String name, String content) {
        return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), "", -1);
    }

    TarBuilder entry(String name, char type, byte[] data, String linkName, long claimedSize) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        long size = claimedSize >= 0 ? claimedSize : data.length;
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, String.format("%011o", 1700000000L), 12);
        h[156] = (byte) type;
        put(h, 157, linkName, 100);
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum), 7);
        h[155] = ' ';
        out.writeBytes(h);
        out.writeBytes(data);
        int pad = (512 - data.length % 512) % 512;
        out.writeBytes(new byte[pad]);
        return this;
    }

    /** The bytes with the end-of-archive marker. */
    byte[] tar() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    byte[] tarGz() {
        return gzip(tar());
    }

    static byte[] gzip(byte[] b) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
                gz.write(b);
            }
            return bo.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(byte[] h, int off, String s, int len) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    /** A valid version-1 bundle: uname, iptables-save, one netns table, owners, a missing nft. */
    static TarBuilder validBundle() {
        return new TarBuilder()
                .entry("portaudit-bundle/", '5', new byte[0], "", -1)
                .file("portaudit-bundle/manifest", MANIFEST)
                .file("portaudit-bundle/0001.out", "Linux dev 5.10 armv7l\n").file("portaudit-bundle/0001.err", "")
                .file("portaudit-bundle/0002.out", "*filter\n:INPUT DROP [0:0]\nCOMMIT\n").file("portaudit-bundle/0002.err", "")
                .file("portaudit-bundle/0003.out", "").file("portaudit-bundle/0003.err", "sh: nft: not found\n")
                .file("portaudit-bundle/0004.out", TCP).file("portaudit-bundle/0004.err", "")
                .file("portaudit-bundle/0005.out", OWNERS).file("portaudit-bundle/0005.err", "");
    }

    static final String TCP = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0 100 0 0 10 0\n";
    static final String OWNERS = "321\t1234\t0\tnet:[4026531840]\tlighttpd\t/usr/sbin/lighttpd -f /etc/lighttpd.conf\t0::/\n";
    static final String MANIFEST = "portaudit-bundle\t1\ncreated\t1700000000\nhost\tarmadillo\n"
            + "entry\t0001\tuname\t0\t1700000000\t-\tuname -a\n"
            + "entry\t0002\tiptables-save\t0\t1700000001\t-\tiptables-save\n"
            + "entry\t0003\tnft-json\t127\t1700000001\t-\tnft -j list ruleset\n"
            + "entry\t0004\tproc-net-tcp\t0\t1700000002\tnet:[4026531840]\tcat /proc/self/net/tcp\n"
            + "entry\t0005\tsocket-owners\t0\t1700000003\t-\tsocket owners\n"
            + "end\t1700000004\n";
}
