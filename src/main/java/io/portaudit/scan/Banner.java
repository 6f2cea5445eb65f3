package io.portaudit.scan;

/** Raw service bytes as text: Latin-1 keeps every byte as one char, so nothing is lost or invented. */
public final class Banner {
    private Banner() {}

    public static String latin1(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public static String latin1(byte[] b, int len) {
        return new String(b, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Escaped for one output line: the banner is Latin-1 bytes, so control bytes and every byte
     * from 0x7f up (telnet IAC 0xff, binary protocols) become {@code \xNN}; CR/LF/TAB as
     * {@code \r \n \t}; cut at {@code max} characters with an ellipsis.
     */
    public static String escape(String raw, int max) {
        if (raw == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), max) + 8);
        for (int i = 0; i < raw.length(); i++) {
            if (sb.length() >= max) {
                sb.append('…');
                break;
            }
            char c = raw.charAt(i);
            if (c == '\r') sb.append("\\r");
            else if (c == '\n') sb.append("\\n");
            else if (c == '\t') sb.append("\\t");
            else if (c == '\\') sb.append("\\\\");
            else if (c < 0x20 || (c >= 0x7f && c <= 0xff)) sb.append(String.format("\\x%02x", (int) c & 0xff));
            else sb.append(c);
        }
        return sb.toString();
    }
}
