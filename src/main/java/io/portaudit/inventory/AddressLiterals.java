package io.portaudit.inventory;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.AddressText;
import io.portaudit.model.BindScope;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Address helpers that never touch the network: literals only. A host name ({@code localhost},
 * a DNS name netstat printed) is never looked up; only {@code localhost} is known by heart.
 */
final class AddressLiterals {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private AddressLiterals() {}

    /** Parses an address literal (no brackets, no {@code %scope}); empty for host names or junk. */
    static Optional<InetAddress> literal(String text) {
        if (text == null || text.isEmpty()) return Optional.empty();
        if (!V4.matcher(text).matches() && !V6.matcher(text).matches()) return Optional.empty();
        try {
            // a literal: InetAddress parses it without any lookup
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The kernel prints addresses as native-endian 32-bit words in hex (little-endian on x86 and ARM). */
    static InetAddress decodeHex(String hex) throws UnknownHostException {
        int len = hex.length() / 2;
        if (hex.length() != 8 && hex.length() != 32) throw new IllegalArgumentException("address '" + hex + "' has the wrong length");
        byte[] b = new byte[len];
        for (int w = 0; w < len / 4; w++) {
            for (int k = 0; k < 4; k++) {
                int pos = w * 8 + (3 - k) * 2;
                b[w * 4 + k] = (byte) ((Character.digit(hex.charAt(pos), 16) << 4) | Character.digit(hex.charAt(pos + 1), 16));
            }
        }
        for (char c : hex.toCharArray()) {
            if (Character.digit(c, 16) < 0) throw new IllegalArgumentException("address '" + hex + "' is not hex");
        }
        return InetAddress.getByAddress(b);
    }

    /** Text as ss prints it: {@code 0.0.0.0}, {@code ::}, {@code fe80::1}, {@code ::ffff:127.0.0.1}. */
    static String text(InetAddress a) {
        if (a instanceof Inet4Address) return a.getHostAddress();
        byte[] b = a.getAddress();
        boolean mapped = true;
        for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
        mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        if (mapped) return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        String s = AddressText.format(a);
        int pct = s.indexOf('%');
        return pct >= 0 ? s.substring(0, pct) : s;
    }

    /** The IPv4 address inside {@code ::ffff:a.b.c.d}, if it is one. */
    static Optional<Inet4Address> mappedV4(InetAddress a) {
        if (a instanceof Inet4Address v4) return Optional.empty();
        byte[] b = a.getAddress();
        for (int i = 0; i < 10; i++) if (b[i] != 0) return Optional.empty();
        if ((b[10] & 0xff) != 0xff || (b[11] & 0xff) != 0xff) return Optional.empty();
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The scope before dual-stack is known: {@code ::} is ALL here and refined later. */
    static BindScope scopeOf(InetAddress addr) {
        InetAddress a = mappedV4(addr).map(InetAddress.class::cast).orElse(addr);
        if (a.isAnyLocalAddress()) return BindScope.ALL;
        if (a.isLoopbackAddress()) return BindScope.LOOPBACK;
        if (a instanceof Inet6Address && a.isLinkLocalAddress()) return BindScope.LINK_LOCAL;
        return BindScope.SPECIFIC;
    }

    static AddressFamily familyOf(InetAddress a) {
        return AddressFamily.of(a);
    }
}
