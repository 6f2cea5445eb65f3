package io.portaudit.scan;

import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Scan targets in nmap syntax: IPv4/IPv6 literals (IPv6 link-local with {@code %scope}), host names,
 * CIDR ({@code 10.77.2.0/24}, {@code fd77:2::/120}), octet ranges ({@code 10.77.1.1-20},
 * {@code 10.77.1-3.2}, {@code 10.77.1.1,5,9}, {@code *}), minus exclusions. Addresses are produced
 * lazily: a /16 is a counter, never a list. Parsing never throws; problems carry the token's place.
 *
 * <p>Host names are resolved (forward DNS, first address as nmap does) unless {@code noDns} is set,
 * in which case only literals and {@code localhost} are accepted. portaudit never does reverse DNS.
 */
public final class TargetSpec implements Iterable<InetAddress> {

    /** One target expression. */
    public sealed interface Target permits Octets, Prefix6, Single {
        BigInteger size();

        Iterator<InetAddress> iterator();

        boolean contains(InetAddress a);

        String text();
    }

    /** IPv4 with a set of allowed values per octet (covers literals, ranges, lists, and CIDR via ranges). */
    public record Octets(String text, BitSet[] octets, long start, long end) implements Target {
        /** start/end (inclusive) restrict to a CIDR block; -1/-1 when none. */
        public BigInteger size() {
            if (start >= 0) return BigInteger.valueOf(end - start + 1);
            BigInteger n = BigInteger.ONE;
            for (BitSet b : octets) n = n.multiply(BigInteger.valueOf(b.cardinality()));
            return n;
        }

        public boolean contains(InetAddress a) {
            if (!(a instanceof Inet4Address)) return false;
            long v = toLong(a);
            if (start >= 0) return v >= start && v <= end;
            byte[] b = a.getAddress();
            for (int i = 0; i < 4; i++) if (!octets[i].get(b[i] & 0xff)) return false;
            return true;
        }

        public Iterator<InetAddress> iterator() {
            if (start >= 0) {
                return new Iterator<>() {
                    long next = start;

                    public boolean hasNext() { return next <= end; }

                    public InetAddress next() {
                        if (!hasNext()) throw new NoSuchElementException();
                        return fromLong(next++);
                    }
                };
            }
            return new Iterator<>() {
                final int[] idx = {octets[0].nextSetBit(0), octets[1].nextSetBit(0), octets[2].nextSetBit(0), octets[3].nextSetBit(0)};
                boolean done = idx[0] < 0 || idx[1] < 0 || idx[2] < 0 || idx[3] < 0;

                public boolean hasNext() { return !done; }

                public InetAddress next() {
                    if (done) throw new NoSuchElementException();
                    InetAddress a = fromLong(((long) idx[0] << 24) | (idx[1] << 16) | (idx[2] << 8) | idx[3]);
                    for (int i = 3; i >= 0; i--) {
                        int n = octets[i].nextSetBit(idx[i] + 1);
                        if (n >= 0) { idx[i] = n; return a; }
                        idx[i] = octets[i].nextSetBit(0);
                        if (i == 0) done = true;
                    }
                    return a;
                }
            };
        }
    }

    /** An IPv6 prefix (a literal is a /128). */
    public record Prefix6(String text, BigInteger base, int bits, int scope, String scopeName) implements Target {
        public BigInteger size() {
            return BigInteger.ONE.shiftLeft(128 - bits);
        }

        public boolean contains(InetAddress a) {
            if (!(a instanceof Inet6Address)) return false;
            BigInteger v = new BigInteger(1, a.getAddress());
            return v.shiftRight(128 - bits).equals(base.shiftRight(128 - bits));
        }

        public Iterator<InetAddress> iterator() {
            BigInteger last = base.add(size()).subtract(BigInteger.ONE);
            return new Iterator<>() {
                BigInteger next = base;

                public boolean hasNext() { return next.compareTo(last) <= 0; }

                public InetAddress next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    InetAddress a = v6(next, scope, scopeName);
                    next = next.add(BigInteger.ONE);
                    return a;
                }
            };
        }
    }

    /** A resolved host name. */
    public record Single(String text, InetAddress address) implements Target {
        public BigInteger size() { return BigInteger.ONE; }

        public Iterator<InetAddress> iterator() { return List.of(address).iterator(); }

        public boolean contains(InetAddress a) { return address.equals(a); }
    }

    private final List<Target> targets;
    private final List<Target> excludes;
    private final List<ParseProblem> problems;

    private TargetSpec(List<Target> targets, List<Target> excludes, List<ParseProblem> problems) {
        this.targets = List.copyOf(targets);
        this.excludes = List.copyOf(excludes);
        this.problems = List.copyOf(problems);
    }

    /** Parses targets and exclusions with the system resolver. */
    public static TargetSpec parse(List<String> targets, List<String> excludes, boolean noDns) {
        return parse(targets, excludes, noDns, InetAddress::getByName);
    }

    /** Resolver injected for tests. */
    public static TargetSpec parse(List<String> targets, List<String> excludes, boolean noDns, Resolver resolver) {
        Problems problems = new Problems(100);
        List<Target> t = new ArrayList<>(), x = new ArrayList<>();
        for (String s : targets) for (String tok : s.trim().split("\\s+")) if (!tok.isEmpty()) add(t, tok, "target", noDns, resolver, problems);
        for (String s : excludes) for (String tok : s.split("[,\\s]+")) if (!tok.isEmpty()) add(x, tok, "--exclude", noDns, resolver, problems);
        return new TargetSpec(t, x, problems.list());
    }

    public interface Resolver {
        InetAddress resolve(String name) throws UnknownHostException;
    }

    /** Reads an {@code -iL}/{@code --excludefile} text: whitespace-separated targets, {@code #} comments. */
    public static List<String> readList(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            for (String tok : line.trim().split("\\s+")) if (!tok.isEmpty()) out.add(tok);
        }
        return out;
    }

    private static void add(List<Target> out, String tok, String source, boolean noDns, Resolver resolver, Problems problems) {
        try {
            Target t = parseOne(tok, noDns, resolver);
            if (t == null) problems.add(ParseProblem.error(source, 0, 0, tok, io.portaudit.model.L10n.t("scan.t.cannotread", tok)));
            else out.add(t);
        } catch (UnknownHostException e) {
            String why = e.getMessage() == null || e.getMessage().equals(tok) ? "" : " (" + e.getMessage() + ")";
            problems.add(ParseProblem.error(source, 0, 0, tok, io.portaudit.model.L10n.t("scan.t.resolve", tok) + why));
        } catch (IllegalArgumentException e) {
            problems.add(ParseProblem.error(source, 0, 0, tok, e.getMessage()));
        }
    }

    static Target parseOne(String tok, boolean noDns, Resolver resolver) throws UnknownHostException {
        String addr = tok;
        int bits = -1;
        int slash = tok.lastIndexOf('/');
        if (slash >= 0) {
            String b = tok.substring(slash + 1);
            if (b.isEmpty() || !b.chars().allMatch(Character::isDigit) || b.length() > 3)
                throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.prefix", tok));
            bits = Integer.parseInt(b);
            addr = tok.substring(0, slash);
        }
        if (addr.contains(":")) {
            String scopeName = null;
            int pct = addr.indexOf('%');
            if (pct >= 0) {
                scopeName = addr.substring(pct + 1);
                addr = addr.substring(0, pct);
            }
            if (!addr.matches("[0-9A-Fa-f:.]+")) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.v6", tok));
            InetAddress a = InetAddress.getByName(addr);  // a literal: no DNS
            if (!(a instanceof Inet6Address)) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.v6", tok));
            if (bits < 0) bits = 128;
            if (bits > 128) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.prefix6", tok));
            BigInteger v = new BigInteger(1, a.getAddress());
            BigInteger mask = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).shiftRight(bits).not();
            v = v.and(mask).and(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
            int scope = 0;
            if (scopeName != null) {
                if (scopeName.chars().allMatch(Character::isDigit) && !scopeName.isEmpty()) scope = Integer.parseInt(scopeName);
            }
            return new Prefix6(tok, v, bits, scope, scopeName);
        }
        if (addr.matches("[0-9*,\\-.]+") && addr.chars().filter(c -> c == '.').count() == 3) {
            String[] parts = addr.split("\\.", -1);
            BitSet[] octets = new BitSet[4];
            for (int i = 0; i < 4; i++) octets[i] = octet(parts[i], tok);
            if (bits >= 0) {
                if (bits > 32) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.prefix4", tok));
                for (BitSet o : octets) if (o.cardinality() != 1) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.cidrranges", tok));
                long v = ((long) octets[0].nextSetBit(0) << 24) | (octets[1].nextSetBit(0) << 16) | (octets[2].nextSetBit(0) << 8) | octets[3].nextSetBit(0);
                long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
                long start = v & mask, end = start | (~mask & 0xffffffffL);
                return new Octets(tok, octets, start, end);
            }
            return new Octets(tok, octets, -1, -1);
        }
        // a host name
        if (!addr.matches("[A-Za-z0-9._-]+")) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.cannotread", tok));
        if (noDns && !addr.equalsIgnoreCase("localhost")) {
            throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.nodns", tok));
        }
        InetAddress a = resolver.resolve(addr);
        if (bits >= 0) {
            String lit = a.getHostAddress();
            return parseOne(lit + "/" + bits, true, resolver);
        }
        return new Single(tok, a);
    }

    private static BitSet octet(String part, String tok) {
        BitSet b = new BitSet(256);
        if (part.isEmpty()) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.emptyoctet", tok));
        for (String item : part.split(",", -1)) {
            if (item.equals("*")) {
                b.set(0, 256);
                continue;
            }
            int dash = item.indexOf('-');
            String a = dash < 0 ? item : item.substring(0, dash);
            String z = dash < 0 ? item : item.substring(dash + 1);
            int from = a.isEmpty() ? 0 : num(a, tok), to = z.isEmpty() ? 255 : num(z, tok);
            if (from > to) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.backwards", tok));
            b.set(from, to + 1);
        }
        return b;
    }

    private static int num(String s, String tok) {
        if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit)) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.badoctet", tok));
        int v = Integer.parseInt(s);
        if (v > 255) throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.over255", tok));
        return v;
    }

    static long toLong(InetAddress a) {
        byte[] b = a.getAddress();
        return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    static InetAddress fromLong(long v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static InetAddress v6(BigInteger v, int scope, String scopeName) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[16];
        int n = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - n, b, 16 - n, n);
        try {
            if (scopeName != null && !scopeName.isEmpty()) {
                if (scope > 0) return Inet6Address.getByAddress(null, b, scope);
                java.net.NetworkInterface nif = java.net.NetworkInterface.getByName(scopeName);
                if (nif != null) return Inet6Address.getByAddress(null, b, nif);
            }
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException | java.net.SocketException e) {
            throw new IllegalArgumentException(io.portaudit.model.L10n.t("scan.t.scope", scopeName));
        }
    }

    public List<Target> targets() { return targets; }

    public List<Target> excludes() { return excludes; }

    public List<ParseProblem> problems() { return problems; }

    public boolean ok() {
        return problems.stream().noneMatch(p -> p.severity() == ParseProblem.Severity.ERROR);
    }

    /** Upper bound of the number of addresses (before exclusions and duplicates). */
    public BigInteger size() {
        BigInteger n = BigInteger.ZERO;
        for (Target t : targets) n = n.add(t.size());
        return n;
    }

    public boolean excluded(InetAddress a) {
        for (Target x : excludes) if (x.contains(a)) return true;
        return false;
    }

    /** Every address in order, exclusions removed; lazy. */
    @Override
    public Iterator<InetAddress> iterator() {
        Function<Target, Iterator<InetAddress>> f = Target::iterator;
        return new Iterator<>() {
            int ti = 0;
            Iterator<InetAddress> cur = targets.isEmpty() ? null : f.apply(targets.get(0));
            InetAddress next = advance();

            private InetAddress advance() {
                while (cur != null) {
                    while (cur.hasNext()) {
                        InetAddress a = cur.next();
                        if (!excluded(a)) return a;
                    }
                    ti++;
                    cur = ti < targets.size() ? f.apply(targets.get(ti)) : null;
                }
                return null;
            }

            public boolean hasNext() { return next != null; }

            public InetAddress next() {
                if (next == null) throw new NoSuchElementException();
                InetAddress a = next;
                next = advance();
                return a;
            }
        };
    }
}
