package io.portaudit.inventory;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.Text;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
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
        List<Listener> out = new ArrayList<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("sl ") || line.equals("sl")) continue;
            String[] f = fields(line, 10);
            if (f.length < 10 || !f[0].endsWith(":") || f[1].indexOf(':') < 0) {
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], "not a /proc/net socket line"));
                continue;
            }
            int state;
            try {
                state = Integer.parseInt(f[3], 16);
            } catch (NumberFormatException e) {
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], "bad socket state '" + f[3] + "'"));
                continue;
            }
            boolean wanted = protocol == Protocol.TCP ? state == TCP_LISTEN : state == UDP_UNCONN;
            if (!wanted) continue;
            int colon = f[1].indexOf(':');
            try {
                InetAddress addr = Addresses.decodeHex(f[1].substring(0, colon));
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                long inode = Long.parseLong(f[9]);
                if (protocol == Protocol.UDP && port == 0) continue;
                out.add(new Listener(protocol, AddressFamily.of(addr), Addresses.text(addr), port, Addresses.scopeOf(addr), null,
                        protocol == Protocol.TCP ? "LISTEN" : "UNCONN", inode, netns,
                        owners.getOrDefault(inode, List.of()), source + ":" + (i + 1)));
            } catch (RuntimeException | UnknownHostException e) {
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], "cannot read local address/port/inode: " + e.getMessage()));
            }
        }
        return out;
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
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], "not a /proc/net/raw line"));
                continue;
            }
            int colon = f[1].indexOf(':');
            try {
                InetAddress addr = Addresses.decodeHex(f[1].substring(0, colon));
                out.add(new RawSocket(AddressFamily.of(addr), Addresses.text(addr), Integer.parseInt(f[1].substring(colon + 1), 16),
                        Long.parseLong(f[9]), netns, source + ":" + (i + 1)));
            } catch (RuntimeException | UnknownHostException e) {
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], "cannot read raw socket: " + e.getMessage()));
            }
        }
        return out;
    }
}
