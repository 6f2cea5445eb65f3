package io.portaudit.model;

import java.util.regex.Pattern;

/**
 * One shell word for a command portaudit suggests: a device-derived string (a chain, table, unit or
 * program name) goes into a command only through here. Plain words stay as they are so that commands
 * read naturally; anything else is single-quoted ({@code 'it'\''s'}). Safe for POSIX sh, busybox sh and bash.
 */
public final class ShellWord {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

    private ShellWord() {}

    /** {@code s} as one shell word; null when it cannot be one (null, empty, NUL: no command should be offered). */
    public static String quote(String s) {
        if (s == null || s.isEmpty() || s.indexOf('\0') >= 0) return null;
        if (PLAIN.matcher(s).matches() && !s.startsWith("-")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Text that follows {@code #} on a command line: one line, no control characters, so it cannot end the comment. */
    public static String comment(String s) {
        if (s == null) return "";
        // each of [\p{Cntrl}\u0085\u2028\u2029] (ASCII controls and DEL, NEL, LS, PS) becomes a space; a scan, not a
        // regular expression: a 200k-rule ruleset asks this for every shadowed rule's remedy
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                if (out == null) out = s.toCharArray();
                out[i] = ' ';
            }
        }
        return out == null ? s : new String(out);
    }
}
