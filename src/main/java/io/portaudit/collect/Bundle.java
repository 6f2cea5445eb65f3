package io.portaudit.collect;

import io.portaudit.model.BoundedRead;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a bundle written by the {@link CollectScript} (or by hand) into a {@link DeviceSnapshot} as a
 * stream: nothing is extracted to disk, every size and count is bounded, unsafe entries are rejected,
 * and only the manifest and the outputs it names are kept (one entry's bytes at a time, as they become
 * text), so memory grows with what the audit keeps, not with the bundle's size.
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

    /**
     * Bounds on what a bundle may hold. An entry (so each capture the audit keeps) is bounded by the limit for one
     * pasted input file, {@link BoundedRead#MAX_BYTES}; past it the bundle is refused naming the entry and the limit
     * (exit 2), as a pasted file past it is.
     */
    public record Limits(long maxFileBytes, int maxEntries, long maxEntryBytes, long maxTotalBytes) {
        public static final Limits DEFAULT = new Limits(64L << 20, 20_000, BoundedRead.MAX_BYTES, 256L << 20);
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
        try {
            // a pipe, a device or /dev/stdin cannot be read twice: one pass, which keeps every numbered output
            return read(() -> Files.newInputStream(file), Files.isRegularFile(file), "bundle:" + file.getFileName(), limits);
        } catch (BundleException e) {
            throw new BundleException(file + ": " + e.getMessage(), e);
        }
    }

    /** Opens the bundle's bytes again, from their start. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    /**
     * Reads a bundle (gzip or not, tar or text) as a stream. When it can be read twice ({@code again}: a regular file),
     * in two passes so that memory is bounded by what is kept, not by the bundle's size: the first checks every entry
     * (names, types, sizes, counts, truncation) and keeps only the manifest; the second keeps only the outputs the
     * manifest names, each as text as it arrives. Every other entry is read through a small buffer and dropped. (The
     * collect script's tar may hold the manifest anywhere, and a text bundle holds it last, so which entries are used
     * is not known before the end of the first pass.) Read once (a pipe), every entry named like an output
     * ({@code ID.out}, {@code ID.err}) is kept until the manifest has come, and only those it names after it.
     */
    static DeviceSnapshot read(Source source, boolean again, String name, Limits limits) throws BundleException, IOException {
        Manifest first = again ? new Manifest() : new Outputs(null);
        pass(source, limits, first);
        if (first.unexpected != null) throw new BundleException("unexpected entry '" + TarStream.printable(first.unexpected) + "': rejected");
        if (first.manifest == null) throw new BundleException("not a portaudit bundle: no manifest");
        String[] lines = new String(first.manifest, StandardCharsets.UTF_8).split("\n");
        String[] head = lines[0].split("\t");
        if (head.length != 2 || !head[0].equals("portaudit-bundle")) throw new BundleException("corrupt manifest: bad first line");
        checkVersion(head[1], "manifest");
        if (first instanceof Outputs once) return toSnapshot(lines, once.texts, name);
        Set<String> wanted = named(first.manifest);
        Outputs second = new Outputs(wanted);
        if (!wanted.isEmpty()) {
            pass(source, limits, second);
            if (second.manifest == null || !Arrays.equals(first.manifest, second.manifest)) {
                throw new BundleException("the bundle changed while it was read: read it again once it is complete");
            }
        }
        return toSnapshot(lines, second.texts, name);
    }

    /** The outputs a manifest names ({@code ID.out}, {@code ID.err} of its entry lines), loosely: toSnapshot checks the lines. */
    private static Set<String> named(byte[] manifest) {
        Set<String> wanted = new HashSet<>();
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split("\t", 3);
            if (f.length >= 2 && f[0].equals("entry") && ENTRY_ID.matcher(f[1]).matches()) {
                wanted.add(f[1] + ".out");
                wanted.add(f[1] + ".err");
            }
        }
        return wanted;
    }

    private static final Pattern ENTRY_ID = Pattern.compile("[0-9]{1,6}");
    private static final Pattern OUTPUT_NAME = Pattern.compile("[0-9]{1,6}\\.(out|err)");

    /** What a pass does with each plain file of the bundle (names as in the archive, already checked safe). */
    interface Sink {
        /** Whether the content of {@code name} is kept; when not, it is read through a small buffer and dropped. */
        boolean wants(String name);

        /** The content of a wanted entry, whole (bounded by {@link Limits#maxEntryBytes()}). */
        void accept(String name, byte[] data);
    }

    /** The name an entry has inside the bundle ({@code portaudit-bundle/} taken off); null for the directory itself. */
    private static String inner(String name) {
        if (name.equals("portaudit-bundle")) return null;
        return name.startsWith(DIR) ? name.substring(DIR.length()) : name;
    }

    /** The first of two passes: keeps the manifest, notes the first entry below a subdirectory. */
    private static class Manifest implements Sink {
        byte[] manifest;
        String unexpected;

        @Override
        public boolean wants(String name) {
            String n = inner(name);
            if (n != null && n.contains("/") && unexpected == null) unexpected = name;
            return "manifest".equals(n);
        }

        @Override
        public void accept(String name, byte[] data) {
            manifest = data;
        }
    }

    /**
     * The second pass: keeps the manifest and the outputs it names, as text (the raw bytes of one entry at a time).
     * Without {@code wanted} (one pass only), every output name until the manifest has come, then the ones it names.
     */
    private static final class Outputs extends Manifest {
        Set<String> wanted;
        boolean once;
        final Map<String, String> texts = new HashMap<>();

        Outputs(Set<String> wanted) {
            this.wanted = wanted;
        }

        @Override
        public boolean wants(String name) {
            if (super.wants(name)) return true;
            String n = inner(name);
            return n != null && (wanted == null ? OUTPUT_NAME.matcher(n).matches() : wanted.contains(n));
        }

        @Override
        public void accept(String name, byte[] data) {
            String n = inner(name);
            if (n.equals("manifest")) {
                manifest = data;
                if (wanted == null || once) {
                    // read once: from now on only what this manifest names
                    once = true;
                    wanted = named(data);
                    texts.keySet().retainAll(wanted);
                }
            } else {
                texts.put(n, new String(data, StandardCharsets.UTF_8));
            }
        }
    }

    /** One pass over the bundle's bytes: every entry checked, the wanted ones handed to {@code sink}. */
    private static void pass(Source source, Limits limits, Sink sink) throws BundleException, IOException {
        try (InputStream raw = source.open()) {
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
                readText(body, limits, sink);
            } else {
                TarStream.read(body, limits, sink);
            }
        } catch (EOFException e) {
            throw new BundleException("truncated bundle: the compressed data ends early", e);
        } catch (ZipException e) {
            throw new BundleException("corrupt bundle: bad gzip data (" + e.getMessage() + ")", e);
        } catch (Bounded.TooLarge e) {
            throw new BundleException("bundle too large: " + e.getMessage(), e);
        }
    }

    private static void readText(InputStream in, Limits limits, Sink sink) throws IOException, BundleException {
        String first = line(in);
        String[] v = first.split("\t");
        checkVersion(v.length == 2 ? v[1] : "", "text bundle");
        Set<String> names = new HashSet<>();
        long total = 0;
        while (true) {
            String l = line(in);
            if (l == null) return;
            if (l.isEmpty()) continue;
            String[] f = l.split(" ");
            if (f.length != 3 || !f[0].equals("===") || !f[2].matches("[0-9]{1,12}")) {
                throw new BundleException("corrupt text bundle: expected '=== NAME SIZE', found '" + TarStream.printable(l) + "'");
            }
            String name = TarStream.safeName(f[1]);
            long size = Long.parseLong(f[2]);
            if (names.size() >= limits.maxEntries()) throw new BundleException("too many entries (more than " + limits.maxEntries() + ")");
            if (size > limits.maxEntryBytes()) {
                throw new BundleException("entry '" + name + "' is too large (" + size + " bytes; limit " + limits.maxEntryBytes() + ")");
            }
            total += size;
            if (total > limits.maxTotalBytes()) throw new BundleException("bundle too large: more than " + limits.maxTotalBytes() + " bytes of content");
            byte[] data = TarStream.content(in, size, sink.wants(name));
            if (data == null) throw new BundleException("truncated text bundle: entry '" + name + "' is cut short");
            int nl = in.read();
            if (nl != '\n') throw new BundleException("corrupt text bundle: entry '" + name + "' is not followed by a newline (wrong size?)");
            if (!names.add(name)) throw new BundleException("duplicate entry '" + name + "': rejected");
            if (data != TarStream.SKIPPED) sink.accept(name, data);
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

    /** The snapshot from the manifest's lines (first line checked) and the texts of the outputs it names. */
    private static DeviceSnapshot toSnapshot(String[] lines, Map<String, String> texts, String source) throws BundleException {
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
                    // taken out of the map as they become captures (an entry named twice has its output once, as before)
                    String out = texts.remove(id + ".out");
                    String err = texts.remove(id + ".err");
                    if (out == null) throw corrupt(i, "entry " + id + " has no " + id + ".out");
                    String netns = f[5].equals("-") || f[5].isEmpty() ? null : TarStream.printable(f[5]);
                    String stderr = err == null ? "" : err;
                    // the script's watchdog ended the command: its exit status is the kill's, its output partial
                    boolean timedOut = stderr.lines().anyMatch(x -> x.startsWith(TIMEOUT_MARK));
                    b.add(f[2], TarStream.printable(f[6]), timedOut ? null : Integer.parseInt(f[3]), out,
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
