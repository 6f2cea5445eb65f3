package io.portaudit.inventory;

import io.portaudit.model.L10n;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.InputText;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.Text;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the kernel's socket tables, {@code /proc/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6}:
 * listening TCP sockets (state 0A) and bound, unconnected UDP sockets (state 07 with a local port).
 * {@code raw}/{@code raw6} are read as information only ({@link #parseRaw}). The address family is
 * taken from each line's address length, so a dump of several tables concatenated reads right.
 */
public final class ProcNetParser {
    private static final int TCP_LISTEN = 0x0A;
    private static final int UDP_UNCONN = 0x07;

    /** A raw socket: {@code protocol} is the IP protocol number (1 icmp, 58 ipv6-icmp, 255 raw). */
    public record RawSocket(AddressFamily family, String address, int protocol, long inode, String netns, String source) {}

    /** The kernel's headers of /proc/net/tcp(6) and udp(6)/raw(6) (tcp6/udp6 say remote_address: compared as rem_address). */
    static final java.util.Set<String> HEADERS = java.util.Set.of(
            "sl local_address rem_address st tx_queue rx_queue tr tm->when retrnsmt uid timeout inode",
            "sl local_address rem_address st tx_queue rx_queue tr tm->when retrnsmt uid timeout inode ref pointer drops");

    private ProcNetParser() {}

    /** Compatibility form: the family argument is checked against each line's address length. */
    public static List<Listener> parse(String source, String text, Protocol protocol, AddressFamily family,
                                       Map<Long, List<Owner>> owners, String netns, Problems problems) {
        return parse(source, text, protocol, owners, netns, problems);
    }

    /**
     * @param owners inode → processes holding it (may be empty: owners unknown)
     * @param netns  the namespace the table was read in, or null
     */
    public static List<Listener> parse(String source, String text, Protocol protocol, Map<Long, List<Owner>> owners,
                                       String netns, Problems problems) {
        text = InputText.normalize(text);
        // One pass over the text by index: no line array, no field substrings for the lines skipped
        // (connections), each distinct local address decoded once (a table holds few of them).
        List<Listener> out = new ArrayList<>();
        Map<Object, Decoded> decoded = new HashMap<>();
        int[] start = new int[10], end = new int[10];
        int len = text.length(), pos = 0, lineNo = 0;
        Protocol proto = protocol;
        int wantedState = proto == Protocol.TCP ? TCP_LISTEN : UDP_UNCONN;
        String state0 = proto == Protocol.TCP ? "LISTEN" : "UNCONN";
        String prefix = source + ":";
        // the kernel separates with spaces and ends lines with LF: then tokens are found with indexOf
        boolean hasCr = text.indexOf('\r') >= 0, hasTab = text.indexOf('\t') >= 0;
        while (pos < len) {
            int eol;
            if (hasCr) {
                eol = pos;
                while (eol < len && text.charAt(eol) != '\n' && text.charAt(eol) != '\r') eol++;
            } else {
                eol = text.indexOf('\n', pos);
                if (eol < 0) eol = len;
            }
            int next = eol < len && text.charAt(eol) == '\r' && eol + 1 < len && text.charAt(eol + 1) == '\n' ? eol + 2 : eol + 1;
            lineNo++;
            int k = fieldBounds(text, pos, eol, start, end, hasTab);
            int lineStart = pos;
            pos = next;
            if (k == 0) continue;
            if (end[0] - start[0] == 2 && text.startsWith("sl", start[0])) {
                // the header; in a pasted dump of several tables each header says which follows (udp's ends in "drops")
                if (text.substring(lineStart, eol).contains("local_address")) {
                    String header = text.substring(lineStart, eol).strip().replaceAll("\\s+", " ");
                    proto = header.contains("drops") ? Protocol.UDP : Protocol.TCP;
                    if (!HEADERS.contains(header.replace("remote_address", "rem_address"))) {
                        // a damaged header: whether it is a tcp or a udp table (which state listens) may be misread
                        problems.add(ParseProblem.error(source, lineNo, 1, text.substring(lineStart, eol), L10n.t("pp.proc.header", proto.label())));
                    }
                    wantedState = proto == Protocol.TCP ? TCP_LISTEN : UDP_UNCONN;
                    state0 = proto == Protocol.TCP ? "LISTEN" : "UNCONN";
                } else {
                    // a damaged header: whether tcp or udp rows follow (and so which state is a listener) is not known
                    problems.add(ParseProblem.error(source, lineNo, 1, text.substring(lineStart, eol), L10n.t("pp.proc.header.unread")));
                }
                continue;
            }
            if (k < 10 || text.charAt(end[0] - 1) != ':' || text.indexOf(':', start[1]) < 0 || text.indexOf(':', start[1]) >= end[1]) {
                problems.add(ParseProblem.error(source, lineNo, 1, text.substring(lineStart, eol), L10n.t("pp.proc.line")));
                continue;
            }
            int state = hex(text, start[3], end[3]);
            if (state < 0) {
                problems.add(ParseProblem.error(source, lineNo, 1, text.substring(lineStart, eol),
                        L10n.t("pp.proc.state", text.substring(start[3], end[3]))));
                continue;
            }
            if (state != wantedState) continue;
            int colon = text.indexOf(':', start[1]);
            int port = hex(text, colon + 1, end[1]);
            long inode = dec(text, start[9], end[9]);
            Decoded addr = decode(text, start[1], colon, decoded);
            if (addr == null || port < 0 || port > 0xFFFF || inode < 0) {
                problems.add(ParseProblem.error(source, lineNo, 1, text.substring(lineStart, eol),
                        L10n.t("pp.proc.local", text.substring(start[1], end[1]), text.substring(start[9], end[9]))));
                continue;
            }
            if (proto == Protocol.UDP && port == 0) continue;
            List<Owner> o = owners.isEmpty() ? List.of() : owners.getOrDefault(inode, List.of());
            out.add(new Listener(proto, addr.family, addr.text, port, addr.scope, null, state0, inode, netns, o,
                    prefix + lineNo));
        }
        return out;
    }

    private record Decoded(AddressFamily family, String text, BindScope scope) {}

    private record V6Key(long hi, long lo) {}

    /** Fills the bounds of up to 10 whitespace-separated fields of text[from, to); returns how many. */
    private static int fieldBounds(String text, int from, int to, int[] start, int[] end, boolean anyWhitespace) {
        int k = 0, i = from;
        while (k < start.length) {
            while (i < to && text.charAt(i) <= ' ') i++;
            if (i >= to) break;
            start[k] = i;
            if (anyWhitespace) {
                while (i < to && text.charAt(i) > ' ') i++;
            } else {
                i = text.indexOf(' ', i);
                if (i < 0 || i > to) i = to;
            }
            end[k++] = i;
        }
        return k;
    }

    /** Hex value of text[from, to), at most 8 digits; -1 when empty, too long or not hex. */
    static int hex(String text, int from, int to) {
        if (to <= from || to - from > 8) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d < 0) return -1;
            v = (v << 4) | d;
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static long dec(String text, int from, int to) {
        if (to <= from || to - from > 18) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** One 32-bit word of the kernel's hex address (8 digits, native little-endian order), as network-order bits; -1L when not hex. */
    private static long word(String text, int from) {
        long v = 0;
        for (int k = 3; k >= 0; k--) { // bytes are printed least significant first
            int hi = Character.digit(text.charAt(from + 2 * k), 16), lo = Character.digit(text.charAt(from + 2 * k + 1), 16);
            if (hi < 0 || lo < 0) return -1L;
            v = (v << 8) | (hi << 4) | lo;
        }
        return v;
    }

    /** The local address of text[from, to) (8 or 32 hex digits), decoded once per distinct value; null when malformed. */
    private static Decoded decode(String text, int from, int to, Map<Object, Decoded> cache) {
        Object key;
        if (to - from == 8) {
            long w = word(text, from);
            if (w < 0) return null;
            key = (int) w;
        } else if (to - from == 32) {
            long w0 = word(text, from), w1 = word(text, from + 8), w2 = word(text, from + 16), w3 = word(text, from + 24);
            if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) return null;
            key = new V6Key((w0 << 32) | w1, (w2 << 32) | w3);
        } else {
            return null;
        }
        Decoded d = cache.get(key);
        if (d == null) {
            try {
                InetAddress addr = AddressLiterals.decodeHex(text.substring(from, to));
                d = new Decoded(AddressFamily.of(addr), AddressLiterals.text(addr), AddressLiterals.scopeOf(addr));
            } catch (RuntimeException | UnknownHostException e) {
                return null;
            }
            cache.put(key, d);
        }
        return d;
    }

    /** The first {@code n} whitespace-separated fields (fewer when the line has fewer), without a regex. */
    static String[] fields(String line, int n) {
        String[] out = new String[n];
        int k = 0, i = 0, len = line.length();
        while (k < n) {
            while (i < len && line.charAt(i) <= ' ') i++;
            if (i >= len) break;
            int start = i;
            while (i < len && line.charAt(i) > ' ') i++;
            out[k++] = line.substring(start, i);
        }
        return k == n ? out : java.util.Arrays.copyOf(out, k);
    }

    /** Raw sockets (ping, dhcp clients, routing daemons): information, not ports. */
    public static List<RawSocket> parseRaw(String source, String text, String netns, Problems problems) {
        List<RawSocket> out = new ArrayList<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("sl ")) continue;
            String[] f = line.split("\\s+", 12);
            if (f.length < 10 || f[1].indexOf(':') < 0) {
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], L10n.t("pp.proc.raw")));
                continue;
            }
            int colon = f[1].indexOf(':');
            try {
                InetAddress addr = AddressLiterals.decodeHex(f[1].substring(0, colon));
                out.add(new RawSocket(AddressFamily.of(addr), AddressLiterals.text(addr), Integer.parseInt(f[1].substring(colon + 1), 16),
                        Long.parseLong(f[9]), netns, source + ":" + (i + 1)));
            } catch (RuntimeException | UnknownHostException e) {
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], L10n.t("pp.proc.rawsocket", e.getMessage())));
            }
        }
        return out;
    }
}
