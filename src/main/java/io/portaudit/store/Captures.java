package io.portaudit.store;

import io.portaudit.audit.AuditRequest;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.InputSniffer;
import io.portaudit.audit.ScanXml;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.scan.NmapOutputs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The raw captures an audit was made from, kept with it (tables {@code audit_captures} and {@code capture_blobs},
 * migrations V4 and V6): each capture's bytes gzip-compressed and stored once per content (SHA-256) across audits. A
 * pasted input ({@code --input FILE}) is kept as the exact bytes of its file ({@code exact}, with the encoding they are
 * in when one is known), so an NBSP, a Shift_JIS or EUC-JP byte or a byte-order mark is there as it was; a capture
 * portaudit only ever had as text (collected over SSH, from a bundle, the scan's XML) is kept as the UTF-8 of that text.
 * At most {@link #CAP_BYTES} per audit are kept, in the snapshot's order; a capture beyond the cap keeps its row
 * (name, kind, size) and is marked not kept, so the dashboard says so instead of failing the audit's record.
 */
public final class Captures {
    /** Bytes of captures (before compression) kept per audit: 16 MiB. */
    public static final long CAP_BYTES = 16L << 20;
    /** The kind of the nmap XML written from the audit's own scan (not a capture read from the device). */
    public static final String SCAN_XML = "scan-xml";
    /** The file name of the scan's nmap XML among the captures. */
    public static final String SCAN_XML_NAME = "scan.nmap.xml";

    private Captures() {}

    /**
     * A capture to record: its name (unique in the audit, {@code [A-Za-z0-9._-]}) and either its exact {@code bytes}
     * (with {@code charset}, the encoding they are in, null when unknown) or, when {@code bytes} is null, its text
     * (kept as UTF-8).
     */
    public record In(String name, String kind, String command, String source, Integer exitStatus, boolean truncated, String netns,
                     String text, byte[] bytes, String charset) {
        public In(String name, String kind, String command, String source, Integer exitStatus, boolean truncated, String netns,
                  String text) {
            this(name, kind, command, source, exitStatus, truncated, netns, text, null, null);
        }
    }

    /**
     * A recorded capture; {@code kept} false when over the cap (nothing stored). {@code exact}: the bytes are those of
     * the file as given; else the UTF-8 of the text portaudit had. {@code charset}: the encoding of the stored bytes
     * ({@code UTF-8} when not exact), null when unknown (lines in different encodings, or bytes no encoding decodes).
     */
    public record Stored(int seq, String name, String kind, String command, String source, Integer exitStatus, boolean truncated,
                         String netns, long size, boolean kept, boolean exact, String charset) {}

    /** A kept capture's bytes as stored, and what {@link Stored} says of them. */
    public record Bytes(byte[] bytes, boolean exact, String charset) {}

    /**
     * What to record of an audit: every capture of its snapshot, plus the nmap XML of its scan, when it scanned and no
     * nmap XML was among its inputs (written from the scan's facts by {@link ScanXml}).
     */
    public static List<In> of(AuditResult r) {
        return of(r, null);
    }

    /**
     * {@link #of(AuditResult)}, with the outputs pasted into the audit ({@code --input} files) when {@code source} is
     * {@link AuditRequest.Pasted}: each under its file's name, as given.
     */
    public static List<In> of(AuditResult r, AuditRequest.Source source) {
        List<In> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        DeviceSnapshot snap = r.snapshot();
        boolean xml = false;
        if (source instanceof AuditRequest.Pasted p) {
            for (InputSniffer.Labeled l : p.texts()) {
                if (l.text() == null) continue;
                String base = l.source() == null ? "input" : l.source().replaceFirst("^.*[/\\\\]", "");
                boolean isXml = NmapOutputs.detect(l.text()).filter(NmapOutputs.XML::equals).isPresent();
                xml |= isXml;
                String kind = isXml ? DeviceSnapshot.KIND_NMAP_XML : l.kind() != null ? l.kind() : NmapOutputs.detect(l.text()).orElse("input");
                String name = fileName(base, null);
                int dot = name.lastIndexOf('.');
                name = dot > 0 ? unique(name.substring(0, dot), name.substring(dot), names) : unique(name, "", names);
                // the file's bytes as given when the text came from a file (else the text, as UTF-8)
                out.add(new In(name, kind, l.source(), "input", null, false, l.netnsAddress(), l.bytes() == null ? l.text() : null, l.bytes(),
                        l.bytes() == null ? null : l.charset()));
            }
        }
        if (snap != null) {
            for (Capture c : snap.captures()) {
                if (c.stdout() == null) continue;
                xml |= c.kind().equals(DeviceSnapshot.KIND_NMAP_XML);
                String base = fileName(c.kind(), c.netns());
                String ext = c.kind().equals(DeviceSnapshot.KIND_NMAP_XML) ? ".xml" : c.kind().endsWith("json") ? ".json" : ".txt";
                String name = unique(base, ext, names);
                out.add(new In(name, c.kind(), c.command(), c.source(), c.exitStatus(), c.truncated(), c.netns(), c.stdout()));
                if (c.stderr() != null && !c.stderr().isBlank()) {
                    out.add(new In(unique(base + ".stderr", ".txt", names), c.kind() + ".stderr", c.command(), c.source(), c.exitStatus(),
                            c.truncated(), c.netns(), c.stderr()));
                }
            }
        }
        if (r.scan() != null && !xml) {
            names.add(SCAN_XML_NAME);
            out.add(new In(SCAN_XML_NAME, SCAN_XML, "written by portaudit from the audit's scan (" + r.scan().source() + ")", null, null,
                    r.scan().partial(), null, ScanXml.write(r.scan(), snap == null ? null : snap.collectedAt())));
        }
        return out;
    }

    /** A file name from a capture's kind (and namespace): letters, digits, '.', '_' and '-' only. */
    static String fileName(String kind, String netns) {
        String n = kind + (netns == null ? "" : "@" + netns.replaceAll("[^0-9A-Za-z]+", "-").replaceAll("^-|-$", ""));
        n = n.replaceAll("[^0-9A-Za-z._-]+", "-").replaceAll("^[.-]+", "");
        if (n.isEmpty()) n = "capture";
        return n.length() > 80 ? n.substring(0, 80) : n;
    }

    private static String unique(String base, String ext, Set<String> taken) {
        String n = base + ext;
        for (int i = 2; !taken.add(n); i++) n = base + "-" + i + ext;
        return n;
    }

    /** A name as {@link #of} makes them; anything else is no capture's name. */
    public static boolean validName(String name) {
        return name != null && name.matches("[0-9A-Za-z_][0-9A-Za-z._-]{0,120}");
    }

    // ------------------------------------------------------------------ SQL (on the store's connection, in its transaction)

    /** Records the captures of audit {@code auditId} (none recorded yet), up to {@link #CAP_BYTES} of bytes. */
    static void write(Connection c, long auditId, List<In> captures) throws SQLException {
        long used = 0;
        try (PreparedStatement blob = c.prepareStatement("INSERT INTO capture_blobs (hash, size, data) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING");
             PreparedStatement row = c.prepareStatement("INSERT INTO audit_captures (audit_id, seq, name, kind, command, source, exit_status, "
                     + "truncated, netns, size, blob_hash, exact, charset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            Set<String> names = new HashSet<>();
            for (In in : captures) {
                if (!validName(in.name()) || !names.add(in.name())) {
                    throw new StoreException(io.portaudit.model.L10n.t("store.capturename", in.name()), 2);
                }
                boolean exact = in.bytes() != null;
                if (!exact && in.text() == null) throw new StoreException("capture '" + in.name() + "': neither bytes nor a text", 2);
                long size = exact ? in.bytes().length : utf8Length(in.text());
                String hash = null;
                if (used + size <= CAP_BYTES) {
                    used += size;
                    Blob b = exact ? blob(in.bytes()) : blob(in.text());
                    hash = b.hash();
                    blob.setString(1, hash);
                    blob.setLong(2, size);
                    blob.setBytes(3, b.gzip());
                    blob.executeUpdate();
                }
                int i = 1;
                row.setLong(i++, auditId);
                row.setInt(i++, seq++);
                row.setString(i++, in.name());
                row.setString(i++, in.kind());
                row.setString(i++, in.command());
                row.setString(i++, in.source());
                if (in.exitStatus() == null) row.setNull(i++, java.sql.Types.INTEGER); else row.setInt(i++, in.exitStatus());
                row.setInt(i++, in.truncated() ? 1 : 0);
                row.setString(i++, in.netns());
                row.setLong(i++, size);
                row.setString(i++, hash);
                row.setInt(i++, exact ? 1 : 0);
                row.setString(i++, exact ? in.charset() : UTF8);
                row.addBatch();
            }
            row.executeBatch();
        }
    }

    static List<Stored> list(Connection c, long auditId) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, name, kind, command, source, exit_status, truncated, netns, size, blob_hash, "
                + "exact, charset FROM audit_captures WHERE audit_id = ? ORDER BY seq")) {
            ps.setLong(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getObject(6) == null ? null : rs.getInt(6), rs.getInt(7) != 0, rs.getString(8), rs.getLong(9), rs.getString(10) != null,
                            rs.getInt(11) != 0, rs.getString(12)));
                }
            }
        }
        return out;
    }

    /** The bytes of the capture {@code name} of an audit as stored; empty when there is no such capture or it was not kept. */
    static Optional<Bytes> bytes(Connection c, long auditId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT b.data, a.exact, a.charset FROM audit_captures a JOIN capture_blobs b "
                + "ON b.hash = a.blob_hash WHERE a.audit_id = ? AND a.name = ?")) {
            ps.setLong(1, auditId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Bytes(gunzip(rs.getBytes(1)), rs.getInt(2) != 0, rs.getString(3))) : Optional.empty();
            }
        }
    }

    /**
     * The text of a capture as the audit read it: exact bytes decoded and normalised the one way every input is
     * ({@link io.portaudit.model.InputText#decode}), else the UTF-8 text portaudit kept.
     */
    public static String text(Bytes b, String name) {
        return b.exact() ? io.portaudit.model.InputText.decode(name, b.bytes()).text() : new String(b.bytes(), StandardCharsets.UTF_8);
    }

    /** The text of the capture {@code name} of an audit (see {@link #text(Bytes, String)}); empty when there is none or it was not kept. */
    static Optional<String> text(Connection c, long auditId, String name) throws SQLException {
        return bytes(c, auditId, name).map(b -> text(b, name));
    }

    /** Every capture of each audit, texts included (export), by audit id. */
    static Map<Long, List<In>> texts(Connection c, List<Long> auditIds) throws SQLException {
        Map<Long, List<In>> out = new HashMap<>();
        for (long id : auditIds) {
            List<In> list = new ArrayList<>();
            for (Stored s : list(c, id)) {
                if (!s.kept()) continue;
                Bytes b = bytes(c, id, s.name()).orElseThrow();
                list.add(b.exact() ? new In(s.name(), s.kind(), s.command(), s.source(), s.exitStatus(), s.truncated(), s.netns(), null, b.bytes(),
                        b.charset()) : new In(s.name(), s.kind(), s.command(), s.source(), s.exitStatus(), s.truncated(), s.netns(),
                        new String(b.bytes(), StandardCharsets.UTF_8)));
            }
            out.put(id, list);
        }
        return out;
    }

    /** Deletes the captures of the given audits, then the texts no audit names any more. */
    static void delete(Connection c, List<Long> auditIds) throws SQLException {
        if (auditIds.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit_captures WHERE audit_id = ?")) {
            for (long id : auditIds) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM capture_blobs WHERE NOT EXISTS "
                + "(SELECT 1 FROM audit_captures a WHERE a.blob_hash = capture_blobs.hash)")) {
            ps.executeUpdate();
        }
    }

    /** The encoding of a capture kept as the UTF-8 of its text. */
    static final String UTF8 = "UTF-8";

    /** A capture as stored: the SHA-256 (hex) of its bytes and their gzip. */
    record Blob(String hash, byte[] gzip) {}

    /** The hash and gzip of bytes kept as they are. */
    static Blob blob(byte[] bytes) {
        try {
            return new Blob(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), gzip(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Characters encoded at a time by {@link #blob}. */
    private static final int SLICE = 32 * 1024;

    /**
     * {@code text}'s hash and gzip, the same bytes as {@code sha256(getBytes(UTF_8))} and {@code gzip(getBytes(UTF_8))}, but
     * encoded in slices: no byte array of the whole text (13 MB for a 200k-line ruleset) and no copy of it. A slice never
     * ends between the two halves of a surrogate pair, so the bytes are those of the whole text encoded at once.
     */
    static Blob blob(String text) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, text.length() / 4));
        try (GZIPOutputStream z = new GZIPOutputStream(out, 8192)) {
            for (int i = 0; i < text.length(); ) {
                int end = Math.min(text.length(), i + SLICE);
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) end--;
                byte[] b = text.substring(i, end).getBytes(StandardCharsets.UTF_8);
                md.update(b);
                z.write(b);
                i = end;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Blob(HexFormat.of().formatHex(md.digest()), out.toByteArray());
    }

    /** The length of {@code s} in UTF-8 as {@code getBytes(UTF_8)} encodes it (a lone surrogate becomes one '?'). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) n++;
            else n += 3;
        }
        return n;
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, b.length / 4));
        try (GZIPOutputStream z = new GZIPOutputStream(out, 8192)) {
            z.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] b) {
        try (GZIPInputStream z = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
            return z.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("a stored capture is not readable gzip: " + e.getMessage(), e);
        }
    }

    /** A size for people: 1.2 KiB, 3.4 MiB. */
    public static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1L << 20) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
