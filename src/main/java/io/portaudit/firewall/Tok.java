package io.portaudit.firewall;

import java.util.ArrayList;
import java.util.List;

/** A word of a rule line with its 1-based column, split as a shell would (double quotes, backslash escapes). */
record Tok(String text, int column, boolean quoted) {

    static List<Tok> split(String line) {
        List<Tok> out = new ArrayList<>();
        int i = 0, n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            StringBuilder sb = new StringBuilder();
            boolean quoted = false;
            while (i < n) {
                c = line.charAt(i);
                if (c == ' ' || c == '\t') break;
                if (c == '"' || c == '\'') {
                    quoted = true;
                    char q = c;
                    i++;
                    while (i < n && line.charAt(i) != q) {
                        if (line.charAt(i) == '\\' && q == '"' && i + 1 < n) i++;
                        sb.append(line.charAt(i++));
                    }
                    i++; // closing quote (or end)
                } else {
                    sb.append(c);
                    i++;
                }
            }
            out.add(new Tok(sb.toString(), start + 1, quoted));
        }
        return out;
    }
}
