package io.portaudit.firewall;

import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Reads port specifications: {@code 22}, {@code 1024:65535}, {@code :1023}, {@code x11:6010}, {@code 80,443,6000:6010}, nft {@code 1024-65535}. */
final class RulePorts {
    private RulePorts() {}

    /** Where the port text sits, for problems. */
    record Place(String source, int line, int column, String lineText, Problems problems, ServiceNames names) {}

    /** A comma list of ports/ranges; {@code sep} is ':' for iptables, '-' for nft. Null when nothing readable. */
    static PortSet list(String text, Protocol proto, char sep, Place at) {
        List<PortRange> ranges = new ArrayList<>();
        boolean bad = false;
        for (String part : text.indexOf(',') < 0 ? new String[] {text} : text.split(",")) {
            part = part.trim();
            if (part.isEmpty()) continue;
            PortRange r = range(part, proto, sep, at);
            if (r == null) bad = true;
            else if (r.from() <= r.to()) ranges.add(r);
        }
        if (ranges.isEmpty()) return bad ? null : PortSet.empty();
        // port 0 is no port: 0 alone is dropped, a range from 0 starts at 1
        List<PortRange> ports = new ArrayList<>(ranges.size());
        for (PortRange r : ranges) {
            if (r.from() != 0) ports.add(r);
            else if (r.to() != 0) ports.add(new PortRange(1, r.to()));
        }
        return PortSet.of(ports);
    }

    static PortRange range(String part, Protocol proto, char sep, Place at) {
        // service names may contain '-' (ftp-data), so for nft split only where both sides read
        int idx = part.indexOf(sep);
        if (sep == '-' && idx >= 0 && !Character.isDigit(part.charAt(0))) {
            OptionalInt whole = at.names().port(part, proto == null ? Protocol.TCP : proto);
            if (whole.isPresent()) return PortRange.of(whole.getAsInt());
        }
        if (idx < 0) {
            OptionalInt p = one(part, proto, at);
            return p.isEmpty() ? null : new PortRange(p.getAsInt(), p.getAsInt());
        }
        String a = part.substring(0, idx), b = part.substring(idx + 1);
        OptionalInt lo = a.isEmpty() ? OptionalInt.of(0) : one(a, proto, at);
        OptionalInt hi = b.isEmpty() ? OptionalInt.of(65535) : one(b, proto, at);
        if (lo.isEmpty() || hi.isEmpty()) return null;
        int x = lo.getAsInt(), y = hi.getAsInt();
        if (x > y) { // iptables swaps inverted ranges
            int t = x;
            x = y;
            y = t;
        }
        return new PortRange(x, y);
    }

    private static OptionalInt one(String tok, Protocol proto, Place at) {
        return at.names().resolve(tok, proto == null ? Protocol.TCP : proto, at.source(), at.line(), at.column(), at.lineText(),
                at.problems());
    }
}
