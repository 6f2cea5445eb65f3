package io.portaudit.model;

/** Small helpers for text that came from a device and may hold anything. */
public final class Text {
    private Text() {}

    /**
     * Makes untrusted text safe for a terminal: control characters become {@code \xNN}, the text
     * is cut at {@code max} characters with an ellipsis. Non-ASCII letters (Japanese names) stay.
     */
    public static String printable(String s, int max) {
        return escape(s, max, false);
    }

    /**
     * Raw service bytes held as Latin-1 characters (one char per byte), escaped for one output line:
     * control bytes and every byte from 0x7f up (telnet IAC 0xff, binary protocols) become
     * {@code \xNN}, a backslash {@code \\}; CR/LF/TAB as {@code \r \n \t}; cut at {@code max}
     * characters with an ellipsis.
     */
    public static String banner(String raw, int max) {
        return escape(raw, max, true);
    }

    /** The one escaper behind {@link #printable} (text), {@link #banner} (bytes) and {@link #terminal}. */
    private static String escape(String s, int max, boolean bytes) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (sb.length() >= max) {
                sb.append('…');
                break;
            }
            escape(sb, s.charAt(i), bytes);
        }
        return sb.toString();
    }

    private static boolean control(char c, boolean bytes) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < (bytes ? 0x100 : 0xa0));
    }

    private static void escape(StringBuilder sb, char c, boolean bytes) {
        if (c == '\t') sb.append("\\t");
        else if (c == '\r') sb.append("\\r");
        else if (c == '\n') sb.append("\\n");
        else if (bytes && c == '\\') sb.append("\\\\");
        else if (control(c, bytes)) sb.append(String.format("\\x%02x", (int) c));
        else sb.append(c);
    }

    /**
     * {@link #printable} for a whole message that may span lines: line feeds stay line feeds, every
     * other control character (ESC above all) becomes {@code \\xNN}; no length limit. For error
     * messages and report lines that carry strings from a policy, a device or the command line.
     */
    public static String terminal(String s) {
        if (s == null) return "";
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\n' && control(c, false)) {
                StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                for (int j = i; j < s.length(); j++) {
                    char d = s.charAt(j);
                    if (d == '\n') sb.append(d);
                    else escape(sb, d, false);
                }
                return sb.toString();
            }
        }
        return s;
    }

    /**
     * The whitespace-separated fields of a line (space, tab, CR, LF, VT, FF and the Unicode spaces, as
     * {@link InputText#isSpace}), without empty ones, without a regex.
     */
    public static String[] fields(String line) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(8);
        int i = 0, n = line.length();
        while (i < n) {
            while (i < n && isSpace(line.charAt(i))) i++;
            int b = i;
            while (i < n && !isSpace(line.charAt(i))) i++;
            if (i > b) out.add(line.substring(b, i));
        }
        return out.toArray(new String[0]);
    }

    private static boolean isSpace(char c) {
        return InputText.isSpace(c);
    }

    /** What {@link #dataLines} calls for each line: its start and end (exclusive) in the text. */
    @FunctionalInterface
    public interface LineVisitor {
        void line(int start, int end);
    }

    /**
     * Calls {@code v} for every LF-terminated line of {@code text} that is not empty and does not
     * start with {@code #}, without copying the text: for tables read at every start (thousands of
     * lines in a JVM that has barely started).
     */
    public static void dataLines(String text, LineVisitor v) {
        int pos = 0, len = text.length();
        while (pos < len) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) eol = len;
            int start = pos;
            pos = eol + 1;
            if (eol > start && text.charAt(start) != '#') v.line(start, eol);
        }
    }

    /**
     * The structural check of outputs that have no end marker (netstat, ss, /proc/net, iptables -L/-S, nmap's normal
     * output...): every command ends its output with a line end, so a last line without one is where a paste or a capture
     * was cut, and the lines after it are missing. An error on that line, or null when the text ends with a line end
     * (or its last line is blank).
     */
    public static ParseProblem cutAtEnd(String source, String text) {
        if (text == null || text.isEmpty()) return null;
        char last = text.charAt(text.length() - 1);
        if (last == '\n' || last == '\r') return null;
        int s = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1;
        String line = text.substring(s);
        if (line.isBlank()) return null;
        int n = 1;
        for (int i = 0; i < s; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) n++;
        }
        return ParseProblem.error(source, n, line.length() + 1, line, L10n.t("pp.text.cut"));
    }

    /** Splits text into lines on LF, CRLF or CR, keeping empty lines so line numbers stay exact. */
    public static String[] lines(String text) {
        // as text.split("\r\n|\n|\r", -1) without the regex (a 200k-line input spent ~5 % of an audit's CPU time in it)
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        int start = 0, n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out.toArray(new String[0]);
    }

    /**
     * Escapes untrusted text for XML and HTML: markup characters become entities, and characters
     * XML 1.0 cannot carry (other control characters, U+FFFE/U+FFFF, unpaired surrogates) become
     * visible {@code \xNN} text. In an attribute, line breaks and tabs become character references
     * so that they survive attribute-value normalisation.
     */
    public static String markup(String s, boolean attribute) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                case '\n' -> sb.append(attribute ? "&#xa;" : "\n");
                case '\r' -> sb.append(attribute ? "&#xd;" : "\r");
                case '\t' -> sb.append(attribute ? "&#x9;" : "\t");
                default -> {
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                    boolean pairedLow = Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                    if (c < 0x20 || c == 0xfffe || c == 0xffff || (Character.isSurrogate(c) && !pairedHigh && !pairedLow)) {
                        sb.append(String.format("\\x%02x", (int) c & 0xffff));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
