package io.portaudit.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one way every parser's text is read: bytes decoded (UTF-8; a line that is not UTF-8 is tried as
 * Shift_JIS and EUC-JP, what a Japanese-locale terminal pastes; a line none of them decodes is a
 * problem naming it), then normalised so that every tokenizer sees the same text:
 * <ul>
 *   <li>a byte-order mark at the start is dropped;</li>
 *   <li>CRLF and a lone CR end a line, as LF does (a serial console's {@code \r\r\n} is two lines, the
 *       second empty) and become LF: line numbers stay those an editor shows;</li>
 *   <li>every Unicode space separator (no-break space U+00A0, ideographic space U+3000, U+2000-U+200A,
 *       U+202F, U+205F, U+1680) becomes one ASCII space, so a column keeps its index.</li>
 * </ul>
 * Nothing else is changed: tabs stay tabs (tokenizers split on them; the socket-owners table is
 * tab-separated), and control characters, NUL, U+FFFD, zero-width characters and line/paragraph
 * separators stay as they are, so that a parser sees the damage and reports it instead of reading a
 * line that only looks whole.
 */
public final class InputText {
    /** The Japanese encodings tried for a line that is not UTF-8, in this order when both decode it. */
    private static final List<String> FALLBACKS = List.of("windows-31j", "EUC-JP");
    /** Undecodable lines reported one by one; the rest in one problem (a binary file must not make a million). */
    static final int MAX_PROBLEMS = 100;

    /**
     * Decoded text (normalised), problems for lines that could not be decoded, what was done, and the one encoding the
     * bytes are in ({@code UTF-8}, {@code UTF-16LE}/{@code UTF-16BE}, {@code Shift_JIS}, {@code EUC-JP}), null when no one
     * encoding decodes them all (lines in different encodings, or bytes none decodes).
     */
    public record Decoded(String text, List<ParseProblem> problems, List<String> notes, String charset) {
        public Decoded {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }

        public Decoded(String text, List<ParseProblem> problems, List<String> notes) {
            this(text, problems, notes, null);
        }
    }

    private InputText() {}

    /** True for the characters every tokenizer splits on: ASCII space, tab, CR, LF, VT, FF and Unicode spaces. */
    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f'
                || (c >= 0x80 && Character.getType(c) == Character.SPACE_SEPARATOR);
    }

    /**
     * Normalises text as described in the class comment; returns {@code text} itself when there is
     * nothing to change (cheap to call again on text that was already normalised).
     */
    public static String normalize(String text) {
        if (text == null) return null;
        int n = text.length();
        int i = 0;
        boolean bom = n > 0 && text.charAt(0) == '\uFEFF';
        if (!bom) {
            while (i < n) {
                char c = text.charAt(i);
                if (c == '\r' || (c >= 0x80 && Character.getType(c) == Character.SPACE_SEPARATOR)) break;
                i++;
            }
            if (i == n) return text;
        }
        StringBuilder sb = new StringBuilder(n);
        int from = bom ? 1 : 0;
        sb.append(text, from, Math.max(from, i));
        for (int k = Math.max(from, i); k < n; k++) {
            char c = text.charAt(k);
            if (c == '\r') {
                sb.append('\n');
                if (k + 1 < n && text.charAt(k + 1) == '\n') k++;
            } else if (c >= 0x80 && Character.getType(c) == Character.SPACE_SEPARATOR) {
                sb.append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Decodes a file's bytes and normalises the text. A UTF-8 byte-order mark is skipped, a UTF-16 one
     * selects UTF-16. Text that is not valid UTF-8 is decoded line by line: a UTF-8 line as UTF-8,
     * another as Shift_JIS (windows-31j) or EUC-JP, whichever decodes more of the file's non-UTF-8
     * lines (one note names the lines and the encoding); a line no encoding decodes is read with
     * U+FFFD for its bad bytes and reported as an error naming the line and the column of the first
     * bad byte, so the parser that reads it cannot take it for a whole line.
     */
    public static Decoded decode(String source, byte[] bytes) {
        List<ParseProblem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int off = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) off = 3;
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE || (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF)) {
            Charset cs = (bytes[0] & 0xff) == 0xFF ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
            notes.add(L10n.t("it.note.bom", source, cs.name()));
            return new Decoded(normalize(new String(bytes, 2, bytes.length - 2, cs)), problems, notes, cs.name());
        }
        String whole = strict(StandardCharsets.UTF_8, bytes, off, bytes.length - off);
        if (whole != null) return new Decoded(normalize(whole), problems, notes, "UTF-8");

        // not UTF-8 throughout: find the lines (LF, CR, CRLF end a line; no byte of Shift_JIS or EUC-JP is CR or LF)
        List<int[]> spans = new ArrayList<>();
        int start = off;
        for (int i = off; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                spans.add(new int[] {start, i});
                if (b == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') i++;
                start = i + 1;
            }
        }
        spans.add(new int[] {start, bytes.length});
        String[] lines = new String[spans.size()];
        List<Integer> bad = new ArrayList<>();
        for (int k = 0; k < spans.size(); k++) {
            int[] s = spans.get(k);
            lines[k] = strict(StandardCharsets.UTF_8, bytes, s[0], s[1] - s[0]);
            if (lines[k] == null) bad.add(k);
        }
        // the encoding that decodes most of the bad lines (a terminal has one encoding)
        List<Charset> order = new ArrayList<>();
        for (String name : FALLBACKS) {
            try {
                order.add(Charset.forName(name));
            } catch (RuntimeException e) {
                // this runtime lacks it: those lines are reported as undecodable
            }
        }
        // most lines decoded first; on a tie, the reading with more kana and kanji and fewer half-width katakana
        // (EUC-JP bytes also decode as Shift_JIS, into half-width katakana nobody writes)
        order.sort((a, b) -> {
            int c = Integer.compare(decodable(b, bytes, spans, bad), decodable(a, bytes, spans, bad));
            return c != 0 ? c : Integer.compare(plausibility(b, bytes, spans, bad), plausibility(a, bytes, spans, bad));
        });
        java.util.Map<String, List<Integer>> decodedAs = new java.util.LinkedHashMap<>();
        List<Integer> undecodable = new ArrayList<>();
        for (int k : bad) {
            int[] s = spans.get(k);
            for (Charset cs : order) {
                String t = strict(cs, bytes, s[0], s[1] - s[0]);
                if (t != null) {
                    lines[k] = t;
                    decodedAs.computeIfAbsent(label(cs), x -> new ArrayList<>()).add(k + 1);
                    break;
                }
            }
            if (lines[k] == null) {
                lines[k] = new String(bytes, s[0], s[1] - s[0], StandardCharsets.UTF_8);
                undecodable.add(k + 1);
                if (problems.size() < MAX_PROBLEMS) {
                    int col = firstBadByte(bytes, s[0], s[1]) + 1;
                    problems.add(ParseProblem.warning(source, k + 1, col, lines[k],
                            L10n.t("pp.text.undecodable")));
                }
            }
        }
        if (undecodable.size() > MAX_PROBLEMS) {
            problems.add(ParseProblem.warning(source, undecodable.get(MAX_PROBLEMS), 0, "", L10n.t("pp.text.undecodable.more", undecodable.size() - MAX_PROBLEMS,
                    lines(undecodable.subList(MAX_PROBLEMS, undecodable.size())))));
        }
        for (var e : decodedAs.entrySet()) {
            notes.add(L10n.t("it.note.notutf8", source, lines(e.getValue()), e.getKey()));
        }
        // one encoding for the whole file: every line not UTF-8 read in the same one, and the UTF-8 lines plain ASCII
        String charset = null;
        if (undecodable.isEmpty() && decodedAs.size() == 1) {
            java.util.BitSet notUtf8 = new java.util.BitSet(spans.size());
            for (int k : bad) notUtf8.set(k);
            boolean ascii = true;
            for (int k = 0; k < spans.size() && ascii; k++) {
                if (notUtf8.get(k)) continue;
                for (int i = spans.get(k)[0]; i < spans.get(k)[1]; i++) {
                    if (bytes[i] < 0) {
                        ascii = false;
                        break;
                    }
                }
            }
            if (ascii) charset = decodedAs.keySet().iterator().next().startsWith("Shift_JIS") ? "Shift_JIS" : "EUC-JP";
        }
        return new Decoded(normalize(String.join("\n", lines)), problems, notes, charset);
    }

    private static String label(Charset cs) {
        return cs.name().equalsIgnoreCase("windows-31j") ? "Shift_JIS (windows-31j)" : cs.name();
    }

    private static int decodable(Charset cs, byte[] bytes, List<int[]> spans, List<Integer> bad) {
        int n = 0;
        for (int k : bad) {
            int[] s = spans.get(k);
            if (strict(cs, bytes, s[0], s[1] - s[0]) != null) n++;
        }
        return n;
    }

    private static int plausibility(Charset cs, byte[] bytes, List<int[]> spans, List<Integer> bad) {
        int score = 0;
        for (int k : bad) {
            int[] s = spans.get(k);
            String t = strict(cs, bytes, s[0], s[1] - s[0]);
            if (t == null) continue;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if ((c >= '\u3040' && c <= '\u30ff') || (c >= '\u4e00' && c <= '\u9fff') || (c >= '\u3000' && c <= '\u303f')) score++;
                else if (c >= '\uff61' && c <= '\uff9f') score -= 2;
            }
        }
        return score;
    }

    /** The index (in the line) of the first byte that makes the line invalid UTF-8. */
    private static int firstBadByte(byte[] bytes, int from, int to) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from + 1);
        d.decode(in, out, true);
        return in.position() - from;
    }

    private static String strict(Charset cs, byte[] bytes, int off, int len) {
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, off, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code lines 3-5, 9} for 1-based line numbers in ascending order. */
    public static String lineList(String word, List<Integer> numbers) {
        return ((numbers.size() == 1 ? word : word + "s") + " " + numbers(numbers)).toLowerCase(Locale.ROOT);
    }

    /** {@code lines 3-5, 9} in the current language ({@code cl.line}, {@code cl.lines}). */
    public static String lines(List<Integer> numbers) {
        return L10n.t(numbers.size() == 1 ? "cl.line" : "cl.lines", numbers(numbers));
    }

    /** {@code 3-5, 9} for 1-based line numbers in ascending order (at most 12 runs, then an ellipsis). */
    private static String numbers(List<Integer> numbers) {
        StringBuilder sb = new StringBuilder();
        int i = 0, shown = 0;
        while (i < numbers.size()) {
            int j = i;
            while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) j++;
            if (shown > 0) sb.append(", ");
            if (shown == 12) {
                sb.append("…");
                break;
            }
            sb.append(numbers.get(i));
            if (j > i) sb.append('-').append(numbers.get(j));
            shown++;
            i = j + 1;
        }
        return sb.toString();
    }
}
