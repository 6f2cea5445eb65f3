package io.portaudit.scan;

import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import io.portaudit.model.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which ports are "top" ports ({@code --top-ports N}, {@code -F} = top 100). The installed
 * {@code /usr/share/nmap/nmap-services} open-frequency table is used when present (nmap's own order,
 * so portaudit's top 1000 is nmap's top 1000). Without it, portaudit uses its own short list
 * ({@link #FALLBACK_TCP}, {@link #FALLBACK_UDP}: ports embedded Linux devices and common servers
 * expose, ordered by the authors' judgement) and then fills up with the lowest-numbered ports.
 */
public final class PortFrequencies {
    public static final Path NMAP_SERVICES = Path.of("/usr/share/nmap/nmap-services");

    /** portaudit's own list, not derived from nmap's data: common device and server ports. */
    static final int[] FALLBACK_TCP = {80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723,
        111, 995, 993, 5900, 1883, 8883, 554, 8443, 8000, 8888, 5000, 2323, 7547, 5060, 1900, 502, 102, 20000, 47808,
        9100, 515, 631, 161, 162, 69, 123, 389, 636, 873, 2049, 3128, 5432, 6379, 27017, 9200, 5672, 11211, 1433, 1521,
        5985, 5986, 10000, 8081, 8082, 8008, 8009, 9000, 9090, 9443, 4443, 6000, 6001, 2000, 2001, 4840, 44818, 2404,
        1911, 9600, 18245, 5683, 5353, 37, 13, 7, 9, 19, 79, 113, 119, 179, 199, 427, 465, 513, 514, 543, 544, 548,
        587, 990, 1025, 1026, 1027, 1028, 1029, 1110, 2121, 2222, 2717, 3000, 3001, 4899, 5001, 5009, 5051, 5101, 5190,
        5357, 5631, 5666, 5800, 6646, 7070, 8010, 8031, 8181, 9999, 32768, 49152, 49153, 49154, 49155, 49156, 49157};
    static final int[] FALLBACK_UDP = {53, 123, 161, 137, 138, 67, 68, 69, 500, 514, 520, 1900, 5353, 5683, 1812, 1813,
        162, 111, 2049, 4500, 5060, 1434, 47808, 1701, 443, 631, 177, 3702, 10161, 11211, 1645, 1646, 49152, 17185,
        20031, 2000, 2048, 5000, 5001, 5002, 7, 9, 13, 19, 37, 1027, 1028, 1029, 1719, 1718, 1885, 626, 427, 520, 2222,
        4444, 9200, 10000, 31337, 32768, 32769, 32771, 32815, 33281, 49153, 49154, 49156, 49181, 49182, 49186, 49188,
        49190, 49191, 49192, 49193, 49194, 49200, 49201, 65024, 998, 996, 997, 999, 1022, 1023, 1025, 1026, 1030, 1433,
        3456, 3703, 5632, 139, 135, 445, 518, 4000, 2001, 6346};

    private final Map<Protocol, List<Integer>> order;
    private final String source;

    private PortFrequencies(Map<Protocol, List<Integer>> order, String source) {
        this.order = order;
        this.source = source;
    }

    private static volatile PortFrequencies loaded;

    /** nmap's table when installed, else portaudit's own list (read once per process). */
    public static PortFrequencies load() {
        PortFrequencies f = loaded;
        if (f == null) {
            synchronized (PortFrequencies.class) {
                if (loaded == null) loaded = read();
                f = loaded;
            }
        }
        return f;
    }

    private static PortFrequencies read() {
        if (Files.isReadable(NMAP_SERVICES)) {
            try {
                return parse(Files.readString(NMAP_SERVICES, StandardCharsets.ISO_8859_1), NMAP_SERVICES.toString());
            } catch (IOException e) {
                // fall back to the built-in list
            }
        }
        return builtin();
    }

    public static PortFrequencies builtin() {
        Map<Protocol, List<Integer>> m = new EnumMap<>(Protocol.class);
        m.put(Protocol.TCP, toList(FALLBACK_TCP));
        m.put(Protocol.UDP, toList(FALLBACK_UDP));
        return new PortFrequencies(m, "portaudit built-in list");
    }

    private static List<Integer> toList(int[] a) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int p : a) s.add(p);
        return List.copyOf(s);
    }

    /** Parses nmap-services text: {@code name port/proto frequency [# comment]}. Bad lines are skipped. */
    public static PortFrequencies parse(String text, String source) {
        // A hand-rolled tokenizer and a primitive sort: the file has 27,000 lines and is read on
        // every --top-ports scan, in a JVM that has barely started (a regex split per line cost
        // ~80 ms, Double.parseDouble and a comparator sort of records ~30 ms more).
        // Each entry becomes one long: (1e6 - frequency in millionths) << 32 | line number, so an
        // ascending sort gives the highest frequency first and, among equal ones, file order (nmap's
        // own order for equal ratios); ports[line] and udp[line] say what the line was.
        Entries e = new Entries();
        Text.dataLines(text, (start, eol) -> line(text, start, eol, e));
        long[] keys = e.keys;
        int[] ports = e.ports;
        boolean[] udp = e.udp;
        int n = e.n;
        java.util.Arrays.sort(keys, 0, n);
        List<Integer> tcpOrder = new ArrayList<>(), udpOrder = new ArrayList<>();
        java.util.BitSet tcpSeen = new java.util.BitSet(65536), udpSeen = new java.util.BitSet(65536);
        for (int k = 0; k < n; k++) {
            int at = (int) keys[k];
            int port = ports[at];
            java.util.BitSet seen = udp[at] ? udpSeen : tcpSeen;
            if (seen.get(port)) continue;
            seen.set(port);
            (udp[at] ? udpOrder : tcpOrder).add(port);
        }
        Map<Protocol, List<Integer>> order = new EnumMap<>(Protocol.class);
        order.put(Protocol.TCP, List.copyOf(tcpOrder));
        order.put(Protocol.UDP, List.copyOf(udpOrder));
        return new PortFrequencies(order, source);
    }

    /** The entries read so far: sort keys, and each entry's port and protocol by entry number. */
    private static final class Entries {
        long[] keys = new long[1024];
        int[] ports = new int[1024];
        boolean[] udp = new boolean[1024];
        int n;

        void add(int port, boolean isUdp, long micros) {
            if (n == keys.length) {
                keys = java.util.Arrays.copyOf(keys, n * 2);
                ports = java.util.Arrays.copyOf(ports, n * 2);
                udp = java.util.Arrays.copyOf(udp, n * 2);
            }
            keys[n] = ((1_000_000L - micros) << 32) | n;
            ports[n] = port;
            udp[n] = isUdp;
            n++;
        }
    }

    /** One line {@code name port/proto frequency ...}; anything else is skipped. */
    private static void line(String text, int start, int eol, Entries e) {
        int i = start;
        // field 1: the name
        while (i < eol && isSpace(text.charAt(i))) i++;
        while (i < eol && !isSpace(text.charAt(i))) i++;
        // field 2: port/proto
        while (i < eol && isSpace(text.charAt(i))) i++;
        int port = 0, digits = 0;
        while (i < eol && text.charAt(i) >= '0' && text.charAt(i) <= '9' && digits < 6) {
            port = port * 10 + (text.charAt(i++) - '0');
            digits++;
        }
        if (digits == 0 || i >= eol || text.charAt(i) != '/' || port < 1 || port > 65535) return;
        int protoStart = ++i;
        while (i < eol && !isSpace(text.charAt(i))) i++;
        boolean isUdp;
        if (text.startsWith("tcp", protoStart) && i - protoStart == 3) isUdp = false;
        else if (text.startsWith("udp", protoStart) && i - protoStart == 3) isUdp = true;
        else return;
        // field 3: the frequency, a ratio in [0, 1]
        while (i < eol && isSpace(text.charAt(i))) i++;
        int fb = i;
        while (i < eol && !isSpace(text.charAt(i))) i++;
        long micros = micros(text, fb, i);
        if (micros >= 0) e.add(port, isUdp, micros);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /**
     * A frequency in millionths: nmap writes six decimals ({@code 0.484143}); anything else that
     * parses as a number in [0, 1] is rounded to millionths; -1 when it is not a frequency.
     */
    static long micros(String text, int from, int to) {
        if (to - from == 8 && text.charAt(from + 1) == '.') {
            long v = 0;
            boolean ok = true;
            for (int k = from; k < to && ok; k++) {
                char c = text.charAt(k);
                if (k == from + 1) continue;
                if (c < '0' || c > '9') ok = false;
                else v = v * 10 + (c - '0');
            }
            if (ok) return v <= 1_000_000 ? v : -1;
        }
        if (to <= from) return -1;
        try {
            double d = Double.parseDouble(text.substring(from, to));
            return d >= 0 && d <= 1 ? Math.round(d * 1e6) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String source() {
        return source;
    }

    /** The {@code n} most frequently open ports of a protocol (fewer if the table is shorter and n > 65535). */
    public PortSet top(Protocol p, int n) {
        List<Integer> list = order.get(p);
        List<io.portaudit.model.PortRange> ranges = new ArrayList<>();
        int taken = 0;
        Set<Integer> seen = new java.util.HashSet<>();
        for (int port : list) {
            if (taken >= n) break;
            if (seen.add(port)) {
                ranges.add(io.portaudit.model.PortRange.of(port));
                taken++;
            }
        }
        for (int port = 1; taken < n && port <= 65535; port++) {
            if (seen.add(port)) {
                ranges.add(io.portaudit.model.PortRange.of(port));
                taken++;
            }
        }
        return PortSet.of(ranges);
    }
}
