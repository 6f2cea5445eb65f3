package io.portaudit.scan;

import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The ports to scan, in nmap's {@code -p} syntax: {@code 22,80,1000-2000}, {@code -} (all),
 * {@code 1-}, {@code -1024}, {@code T:21-25,U:53}, service names ({@code http,ssh}). Ports without a
 * {@code T:}/{@code U:} prefix apply to every protocol scanned. Never throws: what it cannot read is a
 * {@link ParseProblem} with its column.
 */
public record PortSpec(PortSet tcp, PortSet udp, List<ParseProblem> problems) {
    public static final String SOURCE = "-p";

    public PortSpec {
        problems = List.copyOf(problems);
    }

    public PortSet ports(Protocol p) {
        return p == Protocol.TCP ? tcp : udp;
    }

    public boolean ok() {
        return problems.stream().noneMatch(p -> p.severity() == ParseProblem.Severity.ERROR);
    }

    public static PortSpec of(PortSet tcp, PortSet udp) {
        return new PortSpec(tcp, udp, List.of());
    }

    public static PortSpec parse(String text, ServiceNames names) {
        Problems problems = new Problems(100);
        PortSet tcp = PortSet.empty(), udp = PortSet.empty();
        if (text == null || text.isBlank()) {
            problems.add(ParseProblem.error(SOURCE, 1, 1, text, io.portaudit.model.L10n.t("scan.p.empty")));
            return new PortSpec(tcp, udp, problems.list());
        }
        String scope = "";  // "", "T", "U"
        int col = 1;
        for (String raw : text.split(",", -1)) {
            String tok = raw.trim();
            int tokCol = col + (raw.length() - raw.stripLeading().length());
            col += raw.length() + 1;
            if (tok.length() >= 2 && tok.charAt(1) == ':') {
                String s = tok.substring(0, 1).toUpperCase(Locale.ROOT);
                if (s.equals("T") || s.equals("U")) {
                    scope = s;
                    tok = tok.substring(2);
                    tokCol += 2;
                } else if (s.equals("S") || s.equals("P")) {
                    problems.add(ParseProblem.warning(SOURCE, 1, tokCol, text, io.portaudit.model.L10n.t("scan.p.sctp", tok)));
                    scope = "X";
                    continue;
                }
            }
            if (scope.equals("X")) continue;
            if (tok.isEmpty()) {
                problems.add(ParseProblem.error(SOURCE, 1, tokCol, text, io.portaudit.model.L10n.t("scan.p.emptyitem")));
                continue;
            }
            boolean forTcp = !scope.equals("U"), forUdp = !scope.equals("T");
            PortSet t = PortSet.empty(), u = PortSet.empty();
            int dash = tok.indexOf('-');
            if (dash >= 0 && isNumOrEmpty(tok.substring(0, dash)) && isNumOrEmpty(tok.substring(dash + 1))) {
                String a = tok.substring(0, dash), b = tok.substring(dash + 1);
                int from = a.isEmpty() ? 1 : parseNum(a), to = b.isEmpty() ? 65535 : parseNum(b);
                if (from == 0) from = 1;  // port 0 cannot be connect()ed
                if (from < 0 || to < 0 || to > 65535 || from > to || to == 0) {
                    problems.add(ParseProblem.error(SOURCE, 1, tokCol, text, io.portaudit.model.L10n.t("scan.p.badrange", tok)));
                    continue;
                }
                t = u = PortSet.of(new PortRange(from, to));
            } else if (isNumOrEmpty(tok)) {
                int p = parseNum(tok);
                if (p < 1 || p > 65535) {
                    problems.add(ParseProblem.error(SOURCE, 1, tokCol, text, io.portaudit.model.L10n.t("scan.p.outofrange", tok)));
                    continue;
                }
                t = u = PortSet.of(p);
            } else {
                // a service name: resolved per protocol; unknown for both is an error
                OptionalInt pt = names.port(tok.toLowerCase(Locale.ROOT), Protocol.TCP);
                OptionalInt pu = names.port(tok.toLowerCase(Locale.ROOT), Protocol.UDP);
                if ((forTcp && pt.isPresent()) || (forUdp && pu.isPresent())) {
                    if (pt.isPresent() && pt.getAsInt() > 0) t = PortSet.of(pt.getAsInt());
                    if (pu.isPresent() && pu.getAsInt() > 0) u = PortSet.of(pu.getAsInt());
                } else {
                    problems.add(ParseProblem.error(SOURCE, 1, tokCol, text, io.portaudit.model.L10n.t("scan.p.unknown", tok)));
                    continue;
                }
            }
            if (forTcp) tcp = tcp.union(t);
            if (forUdp) udp = udp.union(u);
        }
        return new PortSpec(tcp, udp, problems.list());
    }

    private static boolean isNumOrEmpty(String s) {
        return s.chars().allMatch(Character::isDigit) && s.length() <= 6;
    }

    private static int parseNum(String s) {
        return s.isEmpty() ? -1 : Integer.parseInt(s);
    }

    /** {@code T:21-25,80,U:53} as nmap would accept it back. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (!tcp.isEmpty()) sb.append("T:").append(tcp);
        if (!udp.isEmpty()) sb.append(sb.isEmpty() ? "" : ",").append("U:").append(udp);
        return sb.toString();
    }
}
