package io.portaudit.firewall;

import java.math.BigInteger;
import java.util.Locale;

/**
 * An inclusive range of IP addresses of one family ({@code 10.0.0.0/8}, {@code 10.0.0.1-10.0.0.9}),
 * or an address text portaudit could not read (a host name in {@code iptables -L}): {@code from == null}.
 */
public record AddrRange(String text, boolean v6, BigInteger from, BigInteger to) {

    public boolean known() {
        return from != null;
    }

    public boolean isAny() {
        return known() && from.signum() == 0 && to.equals(max(v6));
    }

    public boolean contains(BigInteger addr) {
        return known() && from.compareTo(addr) <= 0 && to.compareTo(addr) >= 0;
    }

    static BigInteger max(boolean v6) {
        return BigInteger.ONE.shiftLeft(v6 ? 128 : 32).subtract(BigInteger.ONE);
    }

    /** {@code anywhere}, {@code 0.0.0.0/0}, {@code 10.1.0.0/255.255.0.0}, {@code a-b}, {@code ::1/128}. Never resolves names. */
    public static AddrRange parse(String text) {
        String t = text.trim();
        if (t.equals("anywhere") || t.equals("0.0.0.0/0")) return new AddrRange(t, false, BigInteger.ZERO, max(false));
        if (t.equals("::/0")) return new AddrRange(t, true, BigInteger.ZERO, max(true));
        int dash = t.indexOf('-');
        if (dash > 0 && !t.contains("/")) {
            BigInteger a = literal(t.substring(0, dash)), b = literal(t.substring(dash + 1));
            boolean v6 = t.indexOf(':') >= 0;
            if (a == null || b == null || a.compareTo(b) > 0) return unknown(t);
            return new AddrRange(t, v6, a, b);
        }
        String addr = t, mask = null;
        int slash = t.indexOf('/');
        if (slash >= 0) {
            addr = t.substring(0, slash);
            mask = t.substring(slash + 1);
        }
        boolean v6 = addr.indexOf(':') >= 0;
        BigInteger a = literal(addr);
        if (a == null) return unknown(t);
        int bits = v6 ? 128 : 32;
        int prefix = bits;
        if (mask != null) {
            if (!mask.isEmpty() && mask.chars().allMatch(Character::isDigit) && mask.length() <= 3) {
                prefix = Integer.parseInt(mask);
                if (prefix > bits) return unknown(t);
            } else {
                BigInteger m = literal(mask);
                if (m == null) return unknown(t);
                prefix = m.bitCount();
            }
        }
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger net = a.andNot(hostMask);
        return new AddrRange(t, v6, net, net.or(hostMask));
    }

    static AddrRange unknown(String t) {
        return new AddrRange(t, t.indexOf(':') >= 0, null, null);
    }

    /** An IPv4 dotted quad or IPv6 literal as a number; null for anything else (no DNS, ever). */
    public static BigInteger literal(String s) {
        s = s.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.length() > 45) return null;
        if (s.indexOf(':') < 0) {
            String[] p = s.split("\\.", -1);
            if (p.length != 4) return null;
            long v = 0;
            for (String q : p) {
                if (q.isEmpty() || q.length() > 3 || !q.chars().allMatch(Character::isDigit)) return null;
                int n = Integer.parseInt(q);
                if (n > 255) return null;
                v = (v << 8) | n;
            }
            return BigInteger.valueOf(v);
        }
        if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return null;
        try {
            byte[] b = java.net.InetAddress.getByName(s).getAddress();
            if (b.length == 4) { // ::ffff:a.b.c.d comes back as IPv4
                byte[] m = new byte[16];
                m[10] = (byte) 0xff;
                m[11] = (byte) 0xff;
                System.arraycopy(b, 0, m, 12, 4);
                b = m;
            }
            return new BigInteger(1, b);
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
