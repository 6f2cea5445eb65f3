package io.portaudit.collect;

import io.portaudit.model.DeviceSnapshot;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a bundle written by the {@link CollectScript} into a {@link DeviceSnapshot}, entirely in
 * memory: nothing is extracted to disk, every size and count is bounded, and unsafe entries are
 * rejected.
 *
 * <p>Format (version {@value #FORMAT_VERSION}): a {@code tar.gz} holding {@code portaudit-bundle/manifest}
 * and one {@code ID.out} / {@code ID.err} pair per entry; or, on a device without tar or gzip, a text
 * file that starts with {@code portaudit-bundle-text<TAB>VERSION} followed by
 * {@code === NAME SIZE} lines, each followed by exactly SIZE bytes and a newline. The manifest is
 * TAB-separated lines: {@code portaudit-bundle VERSION}, {@code created EPOCH}, {@code host NAME},
 * {@code entry ID KIND EXIT EPOCH NETNS COMMAND} (NETNS {@code -} when none), {@code end EPOCH}.
 */
public final class Bundle {
    public static final int FORMAT_VERSION = 1;
    static final String TEXT_MAGIC = "portaudit-bundle-text\t";
    static final String DIR = "portaudit-bundle/";
    /** The line the collect script appends to an entry's stderr when its watchdog ended the command. */
    static final String TIMEOUT_MARK = "portaudit: timed out after ";

    /** Bounds on what a bundle may hold. */
    public record Limits(long maxFileBytes, int maxEntries, long maxEntryBytes, long maxTotalBytes) {
        public static final Limits DEFAULT = new Limits(64L << 20, 20_000, 64L << 20, 256L << 20);
    }

    private Bundle() {}

    public static DeviceSnapshot read(Path file) throws BundleException, IOException {
        return read(file, Limits.DEFAULT);
    }

    public static DeviceSnapshot read(Path file, Limits limits) throws BundleException, IOException {
        long size = Files.size(file);
        if (size > limits.maxFileBytes()) {
            throw new BundleException(file + ": bundle too large (" + size + " bytes; limit " + limits.maxFileBytes() + ")");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, "bundle:" + file.getFileName(), limits);
        } catch (BundleException e) {
            throw new BundleException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a bundle from a stream (gzip or not, tar or text); {@code source} names it in the snapshot. */
    public static DeviceSnapshot read(InputStream raw, String source, Limits limits) throws BundleException, IOException {
        Map<String, byte[]> files;
        try {
            BufferedInputStream in = new BufferedInputStream(new Bounded(raw, limits.maxFileBytes()), 65536);
            in.mark(4);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            InputStream body = in;
            if (b0 == 0x1f && b1 == 0x8b) {
                long maxInflated = limits.maxTotalBytes() + 1024L * (limits.maxEntries() + 2) + 20480;
                body = new BufferedInputStream(new Bounded(new GZIPInputStream(in, 65536), maxInflated), 65536);
            }
            body.mark(TEXT_MAGIC.length());
            byte[] head = new byte[TEXT_MAGIC.length()];
            int n = body.readNBytes(head, 0, head.length);
            body.reset();
            if (n == 0) throw new BundleException("empty file: not a portaudit bundle");
            if (n == head.length && new String(head, StandardCharsets.ISO_8859_1).equals(TEXT_MAGIC)) {
                files = readText(body, limits);
            } else {
                files = TarStream.read(body, limits);
            }
        } catch (EOFException e) {
            throw new BundleException("truncated bundle: the compressed data ends early", e);
        } catch (ZipException e) {
            throw new BundleException("corrupt bundle: bad gzip data (" + e.getMessage() + ")", e);
        } catch (Bounded.TooLarge e) {
            throw new BundleException("bundle too large: " + e.getMessage(), e);
        }
        return toSnapshot(files, source);
    }

    private static Map<String, byte[]> readText(InputStream in, Limits limits) throws IOException, BundleException {
        String first = line(in);
        String[] v = first.split("\t");
        checkVersion(v.length == 2 ? v[1] : "", "text bundle");
        Map<String, byte[]> files = new LinkedHashMap<>();
        long total = 0;
        while (true) {
            String l = line(in);
            if (l == null) return files;
            if (l.isEmpty()) continue;
            String[] f = l.split(" ");
            if (f.length != 3 || !f[0].equals("===") || !f[2].matches("[0-9]{1,12}")) {
                throw new BundleException("corrupt text bundle: expected '=== NAME SIZE', found '" + TarStream.printable(l) + "'");
            }
            String name = TarStream.safeName(f[1]);
            long size = Long.parseLong(f[2]);
            if (files.size() >= limits.maxEntries()) throw new BundleException("too many entries (more than " + limits.maxEntries() + ")");
            if (size > limits.maxEntryBytes()) {
                throw new BundleException("entry '" + name + "' is too large (" + size + " bytes; limit " + limits.maxEntryBytes() + ")");
            }
            total += size;
            if (total > limits.maxTotalBytes()) throw new BundleException("bundle too large: more than " + limits.maxTotalBytes() + " bytes of content");
            byte[] data = new byte[(int) size];
            if (!TarStream.readFully(in, data)) throw new BundleException("truncated text bundle: entry '" + name + "' is cut short");
            int nl = in.read();
            if (nl != '\n') throw new BundleException("corrupt text bundle: entry '" + name + "' is not followed by a newline (wrong size?)");
            if (files.put(name, data) != null) throw new BundleException("duplicate entry '" + name + "': rejected");
        }
    }

    /** One line without its newline; null at a clean end; bounded length. */
    private static String line(InputStream in) throws IOException, BundleException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') return b.toString();
            if (b.length() > 4096) throw new BundleException("corrupt text bundle: header line too long");
            b.append((char) c);
        }
        if (b.length() > 0) throw new BundleException("truncated text bundle: ends inside a header line");
        return null;
    }

    private static void checkVersion(String v, String what) throws BundleException {
        int version;
        try {
            version = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BundleException("corrupt " + what + ": no format version");
        }
        if (version > FORMAT_VERSION) {
            throw new BundleException("bundle format version " + version + " is newer than this portaudit reads (up to "
                    + FORMAT_VERSION + "): upgrade portaudit, or collect again with this version's 'portaudit collect-script'");
        }
        if (version < 1) throw new BundleException("corrupt " + what + ": bad format version " + version);
    }

    static DeviceSnapshot toSnapshot(Map<String, byte[]> rawFiles, String source) throws BundleException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (var it = rawFiles.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            it.remove();
            String name = e.getKey();
            if (name.equals("portaudit-bundle")) continue;
            if (name.startsWith(DIR)) name = name.substring(DIR.length());
            if (name.contains("/")) throw new BundleException("unexpected entry '" + TarStream.printable(e.getKey()) + "': rejected");
            files.put(name, e.getValue());
        }
        byte[] manifest = files.get("manifest");
        if (manifest == null) throw new BundleException("not a portaudit bundle: no manifest");
        String[] lines = new String(manifest, StandardCharsets.UTF_8).split("\n");
        String[] head = lines[0].split("\t");
        if (head.length != 2 || !head[0].equals("portaudit-bundle")) throw new BundleException("corrupt manifest: bad first line");
        checkVersion(head[1], "manifest");
        SnapshotBuilder b = new SnapshotBuilder(source);
        String host = null;
        Instant created = null;
        boolean ended = false;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) continue;
            String[] f = l.split("\t", -1);
            switch (f[0]) {
                case "created" -> created = epoch(f, 1, i);
                case "host" -> host = f.length > 1 ? TarStream.printable(f[1]) : null;
                case "end" -> ended = true;
                case "entry" -> {
                    if (f.length != 7) throw corrupt(i, "an entry needs 7 fields");
                    String id = f[1];
                    if (!id.matches("[0-9]{1,6}")) throw corrupt(i, "bad entry id");
                    if (!f[2].matches("[A-Za-z0-9_.-]{1,40}")) throw corrupt(i, "bad kind");
                    if (!f[3].matches("[0-9]{1,3}")) throw corrupt(i, "bad exit status");
                    // taken out of the map as they become text: the raw bytes and their text are never both held
                    // for the whole bundle (a bundle near the 256 MiB content limit needed twice that)
                    byte[] out = files.remove(id + ".out");
                    byte[] err = files.remove(id + ".err");
                    if (out == null) throw corrupt(i, "entry " + id + " has no " + id + ".out");
                    String netns = f[5].equals("-") || f[5].isEmpty() ? null : TarStream.printable(f[5]);
                    String stderr = err == null ? "" : new String(err, StandardCharsets.UTF_8);
                    // the script's watchdog ended the command: its exit status is the kill's, its output partial
                    boolean timedOut = stderr.lines().anyMatch(x -> x.startsWith(TIMEOUT_MARK));
                    b.add(f[2], TarStream.printable(f[6]), timedOut ? null : Integer.parseInt(f[3]), new String(out, StandardCharsets.UTF_8),
                            stderr, epoch(f, 4, i), netns, timedOut);
                }
                default -> b.note("bundle manifest line " + (i + 1) + " ignored: unknown record '" + TarStream.printable(f[0]) + "'");
            }
        }
        if (!ended) b.partial("the bundle has no end record: the collection on the device was interrupted");
        return b.build(host, created == null ? Instant.EPOCH : created);
    }

    private static Instant epoch(String[] f, int idx, int line) throws BundleException {
        if (f.length <= idx || !f[idx].matches("[0-9]{1,12}")) throw corrupt(line, "bad time");
        return Instant.ofEpochSecond(Long.parseLong(f[idx]));
    }

    private static BundleException corrupt(int line, String why) {
        return new BundleException("corrupt manifest, line " + (line + 1) + ": " + why);
    }

    /** Fails once more than {@code max} bytes have been read: bounds gzip bombs and huge files. */
    static final class Bounded extends FilterInputStream {
        static final class TooLarge extends IOException {
            TooLarge(String m) {
                super(m);
            }
        }

        private final long max;
        private long count;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0 && ++count > max) throw new TooLarge("more than " + max + " bytes");
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > max) throw new TooLarge("more than " + max + " bytes");
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
