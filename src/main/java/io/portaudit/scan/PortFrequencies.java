package io.portaudit.scan;

import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** nmap's table when installed, else portaudit's own list. */
    public static PortFrequencies load() {
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

    private record Entry(int port, double freq, int line) {}

    /** Parses nmap-services text: {@code name port/proto frequency [# comment]}. Bad lines are skipped. */
    public static PortFrequencies parse(String text, String source) {
        Map<Protocol, List<Entry>> m = new EnumMap<>(Protocol.class);
        m.put(Protocol.TCP, new ArrayList<>());
        m.put(Protocol.UDP, new ArrayList<>());
        // a hand-rolled tokenizer: the file has 27,000 lines and is read on every --top-ports
        // scan, in a JVM that has barely started (a regex split per line cost ~80 ms of it)
        int lineNo = 0;
        int pos = 0, len = text.length();
        String[] f = new String[3];
        while (pos < len) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) eol = len;
            int start = pos;
            pos = eol + 1;
            lineNo++;
            if (eol == start || text.charAt(start) == '#') continue;
            int n = 0, i = start;
            while (n < 3 && i < eol) {
                while (i < eol && Character.isWhitespace(text.charAt(i))) i++;
                int b = i;
                while (i < eol && !Character.isWhitespace(text.charAt(i))) i++;
                if (i > b) f[n++] = text.substring(b, i);
            }
            if (n < 3) continue;
            int slash = f[1].indexOf('/');
            if (slash < 0) continue;
            Protocol p = Protocol.parse(f[1].substring(slash + 1));
            if (p == null) continue;
            try {
                int port = Integer.parseInt(f[1], 0, slash, 10);
                double freq = Double.parseDouble(f[2]);
                if (port >= 1 && port <= 65535) m.get(p).add(new Entry(port, freq, lineNo));
            } catch (NumberFormatException e) {
                // not a frequency line
            }
        }
        Map<Protocol, List<Integer>> order = new EnumMap<>(Protocol.class);
        for (var e : m.entrySet()) {
            List<Entry> list = e.getValue();
            // highest frequency first; ties in file order (nmap's own order for equal ratios)
            list.sort(Comparator.comparingDouble(Entry::freq).reversed().thenComparingInt(Entry::line));
            order.put(e.getKey(), list.stream().map(Entry::port).distinct().toList());
        }
        return new PortFrequencies(order, source);
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
