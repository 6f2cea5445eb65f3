package io.portaudit.model;

/** An inclusive range of port numbers, {@code 1 <= from <= to <= 65535} (0 allowed for raw listings). */
public record PortRange(int from, int to) implements Comparable<PortRange> {
    public static final int MIN = 1;
    public static final int MAX = 65535;

    public PortRange {
        if (from < 0 || to > MAX || from > to) {
            throw new IllegalArgumentException("bad port range " + from + "-" + to);
        }
    }

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    public static PortRange all() {
        return new PortRange(MIN, MAX);
    }

    public int size() {
        return to - from + 1;
    }

    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    @Override
    public int compareTo(PortRange o) {
        return from != o.from ? Integer.compare(from, o.from) : Integer.compare(to, o.to);
    }

    /** {@code 80} or {@code 1024-65535}, the way nmap and nft write ranges. */
    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
