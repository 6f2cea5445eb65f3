package io.portaudit.collect;

import io.portaudit.model.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a ustar/GNU tar stream, never onto disk, keeping only the entries the caller wants, accepting only plain files and
 * directories with safe relative names. Links, devices, FIFOs, absolute names, {@code ..} components,
 * duplicate names, bad header checksums, truncation and anything past the limits are errors.
 */
final class TarStream {
    private TarStream() {}

    /**
     * Reads the archive to its end marker, checking every entry; hands the content of each plain file that
     * {@code sink} wants to it, and reads every other one through a small buffer without keeping it.
     */
    static void read(InputStream in, Bundle.Limits limits, Bundle.Sink sink) throws BundleException, IOException {
        Set<String> names = new HashSet<>();
        byte[] header = new byte[512];
        int entries = 0;
        long total = 0;
        while (true) {
            if (!readFully(in, header)) throw new BundleException("truncated tar: the archive ends without its end marker");
            if (allZero(header)) return; // end of archive (a second zero block may follow; not needed)
            if (++entries > limits.maxEntries()) throw new BundleException("too many entries (more than " + limits.maxEntries() + ")");
            verifyChecksum(header);
            String name = cstring(header, 0, 100);
            if (isUstar(header)) {
                String prefix = cstring(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
            }
            char type = (char) (header[156] == 0 ? '0' : header[156]);
            long size = octal(header, 124, 12);
            String what = "entry '" + printable(name) + "'";
            switch (type) {
                case '0', '7' -> { /* regular file */ }
                case '5' -> { /* directory: nothing to read */ }
                case '1' -> throw new BundleException(what + " is a hard link: rejected (bundles hold plain files only)");
                case '2' -> throw new BundleException(what + " is a symbolic link: rejected (bundles hold plain files only)");
                case '3', '4' -> throw new BundleException(what + " is a device node: rejected");
                case '6' -> throw new BundleException(what + " is a FIFO: rejected");
                default -> throw new BundleException(what + " has unsupported tar type '" + printable(String.valueOf(type))
                        + "': rejected (bundles hold plain files only)");
            }
            String safe = safeName(name);
            if (type == '5') {
                if (size != 0) throw new BundleException(what + ": a directory with data, corrupt header");
                continue;
            }
            if (size > limits.maxEntryBytes()) {
                throw new BundleException(what + " is too large (" + size + " bytes; limit " + limits.maxEntryBytes() + ")");
            }
            total += size;
            if (total > limits.maxTotalBytes()) {
                throw new BundleException("bundle too large: more than " + limits.maxTotalBytes() + " bytes of content");
            }
            byte[] data = content(in, size, sink.wants(safe));
            if (data == null) throw new BundleException("truncated tar: " + what + " is cut short");
            int pad = (int) ((512 - size % 512) % 512);
            if (pad > 0 && !readFully(in, new byte[pad])) throw new BundleException("truncated tar: " + what + " is cut short");
            if (!names.add(safe)) throw new BundleException("duplicate " + what + ": rejected");
            if (data != SKIPPED) sink.accept(safe, data);
        }
    }

    /** What {@link #content} returns for an entry it read without keeping. */
    static final byte[] SKIPPED = new byte[0];

    /**
     * The next {@code size} bytes of {@code in}: whole when {@code keep}, else read through a small buffer and
     * dropped ({@link #SKIPPED}); null when the stream ends first.
     */
    static byte[] content(InputStream in, long size, boolean keep) throws IOException {
        if (keep) {
            byte[] data = new byte[(int) size];
            return readFully(in, data) ? data : null;
        }
        byte[] buf = new byte[(int) Math.min(size, 65536)];
        for (long left = size; left > 0; ) {
            // read, not skip: the bounded streams count what is read, and a cut entry is noticed
            int n = in.read(buf, 0, (int) Math.min(left, buf.length));
            if (n < 0) return null;
            left -= n;
        }
        return SKIPPED;
    }

    /**
     * Accepts {@code a/b} style names made of ordinary characters; strips a leading {@code ./}.
     * Absolute names, {@code ..} or empty components, backslashes and control characters are rejected.
     */
    static String safeName(String name) throws BundleException {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        if (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        if (name.startsWith("/")) throw new BundleException("entry '" + printable(name) + "' has an absolute path: rejected");
        if (n.isEmpty()) throw new BundleException("entry with an empty name: rejected");
        for (String part : n.split("/", -1)) {
            if (part.equals("..")) throw new BundleException("entry '" + printable(name) + "' leaves the bundle (..): rejected");
            if (part.isEmpty() || part.equals(".")) throw new BundleException("entry '" + printable(name) + "' has an empty path component: rejected");
            if (!part.matches("[A-Za-z0-9._+-]{1,100}")) {
                throw new BundleException("entry '" + printable(name) + "' has an unexpected name: rejected");
            }
        }
        return n;
    }

    private static boolean isUstar(byte[] h) {
        return h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    }

    private static void verifyChecksum(byte[] h) throws BundleException {
        long stored;
        try {
            stored = octal(h, 148, 8);
        } catch (BundleException e) {
            throw new BundleException("corrupt tar header (checksum field)");
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        if (sum != stored) throw new BundleException("corrupt tar header: checksum mismatch (not a tar file, or damaged)");
    }

    static long octal(byte[] h, int off, int len) throws BundleException {
        if ((h[off] & 0x80) != 0) throw new BundleException("tar entry too large (base-256 size field)");
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) i++;
        boolean any = false;
        for (; i < end; i++) {
            byte b = h[i];
            if (b == 0 || b == ' ') break;
            if (b < '0' || b > '7') throw new BundleException("corrupt tar header: bad number field");
            v = v * 8 + (b - '0');
            if (v > (1L << 40)) throw new BundleException("corrupt tar header: number too large");
            any = true;
        }
        return any ? v : 0;
    }

    private static String cstring(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    /** Fills {@code b}; false on a clean or mid-buffer end of stream. */
    static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) return false;
            off += n;
        }
        return true;
    }

    static String printable(String s) {
        return Text.printable(s, 120);
    }
}
