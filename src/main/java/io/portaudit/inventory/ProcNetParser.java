package io.portaudit.inventory;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
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
 * listening TCP sockets (state 0A) and bound UDP sockets (state 07 with a local port).
 */
public final class ProcNetParser {
    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONN = "07";

    private ProcNetParser() {}

    /**
     * @param owners inode → processes holding it (may be empty: owners unknown)
     */
    public static List<Listener> parse(String source, String text, Protocol protocol, AddressFamily family,
                                       Map<Long, List<Owner>> owners, String netns, Problems problems) {
        List<Listener> out = new ArrayList<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("sl")) continue;
            String[] f = line.split("\\s+");
            if (f.length < 10 || !f[1].contains(":")) {
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], "not a /proc/net socket line"));
                continue;
            }
            String state = f[3];
            boolean wanted = protocol == Protocol.TCP ? state.equals(TCP_LISTEN) : state.equals(UDP_UNCONN);
            if (!wanted) continue;
            String[] local = f[1].split(":");
            try {
                InetAddress addr = decodeAddress(local[0], family);
                int port = Integer.parseInt(local[1], 16);
                long inode = Long.parseLong(f[9]);
                if (protocol == Protocol.UDP && port == 0) continue;
                String address = addr.getHostAddress();
                int pct = address.indexOf('%');
                if (pct >= 0) address = address.substring(0, pct);
                address = compress(address);
                out.add(new Listener(protocol, family, address, port, scopeOf(addr), null,
                        protocol == Protocol.TCP ? "LISTEN" : "UNCONN", inode, netns,
                        owners.getOrDefault(inode, List.of()), source + ":" + (i + 1)));
            } catch (RuntimeException | UnknownHostException e) {
                problems.add(ParseProblem.error(source, i + 1, 1, lines[i], "cannot read local address/port/inode: " + e.getMessage()));
            }
        }
        return out;
    }

    /** The kernel prints addresses as native-endian 32-bit words in hex. */
    static InetAddress decodeAddress(String hex, AddressFamily family) throws UnknownHostException {
        int len = family == AddressFamily.IPV4 ? 4 : 16;
        if (hex.length() != len * 2) throw new IllegalArgumentException("address '" + hex + "' has the wrong length");
        byte[] b = new byte[len];
        for (int w = 0; w < len / 4; w++) {
            for (int k = 0; k < 4; k++) {
                // each 32-bit word is little-endian on x86/ARM: byte k of the word is at hex offset (3-k)
                int pos = w * 8 + (3 - k) * 2;
                b[w * 4 + k] = (byte) Integer.parseInt(hex.substring(pos, pos + 2), 16);
            }
        }
        return InetAddress.getByAddress(b);
    }

    static BindScope scopeOf(InetAddress addr) {
        if (addr.isAnyLocalAddress()) return BindScope.ALL;
        if (addr.isLoopbackAddress()) return BindScope.LOOPBACK;
        if (addr.isLinkLocalAddress()) return BindScope.LINK_LOCAL;
        return BindScope.SPECIFIC;
    }

    /** Java prints {@code 0:0:0:0:0:0:0:0}; people and ss print {@code ::}. */
    static String compress(String v6) {
        if (!v6.contains(":")) return v6;
        String[] parts = v6.split(":");
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) j++;
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) return v6;
        String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
        return head + "::" + tail;
    }
}
