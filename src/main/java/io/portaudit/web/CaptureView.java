package io.portaudit.web;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.store.Captures;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A raw capture for people: its bytes as kept, decoded for the page (in their one encoding when it is known, else
 * line by line as UTF-8, Shift_JIS or EUC-JP, as portaudit reads inputs), every byte no encoding decodes kept visible
 * as {@code \xNN} in a marked segment, a byte-order mark marked too. The template escapes every segment. And the
 * Content-Type a capture's download is served with.
 */
public final class CaptureView {
    /** Bytes of a capture shown on its page; the download has them all. */
    static final int SHOWN = 4 << 20;

    /** A run of decoded text, or ({@code mark}) bytes shown as what they are: {@code \xNN...}, {@code BOM}. */
    public record Segment(String text, boolean mark, String title) {}

    /**
     * The page's view: segments, the encoding it was decoded in (or how), whether the bytes are the file's exact bytes,
     * how many bytes no encoding decoded, and whether the page shows only the first {@link #SHOWN} bytes.
     */
    public record View(List<Segment> segments, String decodedAs, boolean exact, int undecodable, boolean cut, long bytes) {}

    private CaptureView() {}

    /** The Content-Type of a capture's bytes: by its kind and name; a charset only when the encoding is known. */
    static String contentType(Captures.Stored c) {
        String kind = c.kind(), name = c.name().toLowerCase(Locale.ROOT);
        String type = kind.equals(DeviceSnapshot.KIND_NMAP_XML) || kind.equals(Captures.SCAN_XML) || name.endsWith(".xml") ? "application/xml"
                : kind.endsWith("json") || name.endsWith(".json") ? "application/json" : "text/plain";
        return c.charset() == null ? type : type + "; charset=" + c.charset();
    }

    static View of(Captures.Bytes b) {
        byte[] all = b.bytes();
        boolean cut = all.length > SHOWN;
        int end = cut ? SHOWN : all.length;
        Segments out = new Segments();
        int[] bad = {0};
        int off = 0;
        String decodedAs;
        if (end >= 3 && (all[0] & 0xff) == 0xEF && (all[1] & 0xff) == 0xBB && (all[2] & 0xff) == 0xBF) {
            out.mark("BOM", "byte-order mark EF BB BF (UTF-8)");
            off = 3;
        } else if (end >= 2 && ((all[0] & 0xff) == 0xFF && (all[1] & 0xff) == 0xFE || (all[0] & 0xff) == 0xFE && (all[1] & 0xff) == 0xFF)) {
            out.mark("BOM", "byte-order mark " + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(all, 0, 2));
            off = 2;
        }
        Charset cs = charset(b.charset());
        if (cs != null) {
            decodedAs = b.charset();
            decode(cs, all, off, end, out, bad);
        } else {
            decodedAs = "line by line (no one encoding decodes every line): UTF-8, else Shift_JIS, else EUC-JP";
            Charset sjis = charset("Shift_JIS"), euc = charset("EUC-JP");
            int start = off;
            for (int i = off; i <= end; i++) {
                if (i < end && all[i] != '\n' && all[i] != '\r') continue;
                // the line and its end (CR, LF or CRLF) kept as they are
                int lineEnd = i;
                if (i < end && all[i] == '\r' && i + 1 < end && all[i + 1] == '\n') i++;
                int next = Math.min(end, i + 1);
                Charset line = strict(StandardCharsets.UTF_8, all, start, lineEnd) ? StandardCharsets.UTF_8
                        : sjis != null && strict(sjis, all, start, lineEnd) ? sjis : euc != null && strict(euc, all, start, lineEnd) ? euc
                        : StandardCharsets.UTF_8;
                decode(line, all, start, lineEnd, out, bad);
                if (lineEnd < next) out.text(new String(all, lineEnd, next - lineEnd, StandardCharsets.ISO_8859_1));
                start = next;
            }
        }
        out.end();
        return new View(List.copyOf(out.list), decodedAs, b.exact(), bad[0], cut, all.length);
    }

    /** Java's decoder for an encoding as the store names it (Shift_JIS as the Windows code page terminals use). */
    private static Charset charset(String name) {
        if (name == null) return null;
        try {
            return Charset.forName(name.equalsIgnoreCase("Shift_JIS") ? "windows-31j" : name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean strict(Charset cs, byte[] b, int from, int to) {
        try {
            cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Decodes bytes [from, to) into segments: text, and each run of bytes the encoding cannot decode as a marked {@code \xNN}. */
    private static void decode(Charset cs, byte[] b, int from, int to, Segments out, int[] bad) {
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, from, to - from);
        CharBuffer chars = CharBuffer.allocate(Math.max(16, Math.min(to - from, 64 * 1024) + 16));
        while (true) {
            CoderResult r = d.decode(in, chars, true);
            chars.flip();
            out.text(chars);
            chars.clear();
            if (r.isError()) {
                StringBuilder hex = new StringBuilder();
                for (int k = 0; k < r.length(); k++) hex.append(String.format(Locale.ROOT, "\\x%02X", in.get() & 0xff));
                bad[0] += r.length();
                out.mark(hex.toString(), "bytes " + cs.name() + " cannot decode");
            } else if (r.isUnderflow()) {
                break;
            }
        }
        d.flush(chars);
        chars.flip();
        out.text(chars);
    }

    /** Segments as they are made: text runs joined until a mark (few segments, one per run of undecodable bytes). */
    private static final class Segments {
        final List<Segment> list = new ArrayList<>();
        final StringBuilder text = new StringBuilder();

        void text(CharSequence s) {
            text.append(s);
        }

        void mark(String shown, String title) {
            end();
            list.add(new Segment(shown, true, title));
        }

        void end() {
            if (!text.isEmpty()) list.add(new Segment(text.toString(), false, null));
            text.setLength(0);
        }
    }
}
