package io.portaudit.audit;

import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import io.portaudit.model.Text;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An audit's scan as nmap XML ({@code -oX}, nmap's DTD, xmloutputversion 1.05): the document the dashboard offers as
 * the audit's "nmap XML" download when its scan was not itself read from nmap XML. Written from the scan's facts: one
 * host, every port the scan listed ({@code <port>}, with state, reason and the service it identified) and the ports it
 * did not list ({@code <extraports>}, with {@code <extrareasons ports=...>} when the scan named them). The scan's own
 * start and end are not part of an audit's result: the times written are the audit's collection time.
 */
public final class ScanXml {
    private static final DateTimeFormatter STR = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ScanXml() {}

    public static String write(ScanFacts s, Instant at) {
        Instant when = at == null ? Instant.EPOCH : at;
        long t = when.getEpochSecond();
        String address = !s.results().isEmpty() && s.results().get(0).address() != null ? s.results().get(0).address() : s.target();
        if (address == null) address = "unknown";
        address = address.replaceAll("%.*", "");
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n");
        sb.append("<!-- written by portaudit from the audit's scan (").append(comment(s.source())).append("); times are the audit's -->\n");
        sb.append("<nmaprun scanner=\"portaudit\" args=\"").append(esc("portaudit audit --scan " + (s.target() == null ? "" : s.target())))
                .append("\" start=\"").append(t).append("\" startstr=\"").append(esc(STR.format(when))).append("\" version=\"")
                .append(esc(AuditJson.version())).append("\" xmloutputversion=\"1.05\">\n");
        sb.append("<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n");
        sb.append("<host starttime=\"").append(t).append("\" endtime=\"").append(t).append("\"><status state=\"up\" reason=\"user-set\" reason_ttl=\"0\"/>\n");
        sb.append("<address addr=\"").append(esc(address)).append("\" addrtype=\"").append(address.contains(":") ? "ipv6" : "ipv4")
                .append("\"/>\n<hostnames>\n</hostnames>\n<ports>");
        Map<PortState, List<ScanFacts.Hidden>> extra = new EnumMap<>(PortState.class);
        for (ScanFacts.Hidden h : s.hidden()) if (h.state() != null) extra.computeIfAbsent(h.state(), k -> new ArrayList<>()).add(h);
        for (var e : extra.entrySet()) {
            long n = e.getValue().stream().mapToLong(ScanFacts.Hidden::count).sum();
            sb.append("<extraports state=\"").append(e.getKey().label()).append("\" count=\"").append(n).append("\">\n");
            for (ScanFacts.Hidden h : e.getValue()) {
                sb.append("<extrareasons reason=\"").append("unknown").append("\" count=\"").append(h.count()).append('"');
                if (h.protocol() != null) sb.append(" proto=\"").append(h.protocol().label()).append('"');
                if (h.ports() != null && h.protocol() != null) sb.append(" ports=\"").append(esc(h.ports().toString())).append('"');
                sb.append("/>\n");
            }
            sb.append("</extraports>\n");
        }
        List<PortResult> ports = new ArrayList<>(s.results());
        ports.sort(Comparator.comparing(PortResult::protocol).thenComparingInt(PortResult::port));
        for (PortResult r : ports) {
            if (r.protocol() == null || r.state() == null || r.protocol() != Protocol.TCP && r.protocol() != Protocol.UDP) continue;
            sb.append("<port protocol=\"").append(r.protocol().label()).append("\" portid=\"").append(r.port()).append("\"><state state=\"")
                    .append(r.state().label()).append("\" reason=\"").append(esc(r.reason() == null ? "unknown" : r.reason()))
                    .append("\" reason_ttl=\"0\"/>");
            io.portaudit.scan.XmlOutput.appendServiceAndScripts(sb, r);
            sb.append("</port>\n");
        }
        sb.append("</ports>\n</host>\n");
        String summary = "portaudit done at " + STR.format(when) + "; 1 IP address (1 host up) scanned" + (s.partial() ? " (partial)" : "");
        sb.append("<runstats><finished time=\"").append(t).append("\" timestr=\"").append(esc(STR.format(when))).append("\" summary=\"")
                .append(esc(summary)).append("\" elapsed=\"0.00\" exit=\"").append(s.partial() ? "error" : "success").append('"');
        if (s.partial()) sb.append(" errormsg=\"partial: the scan stopped early\"");
        sb.append("/><hosts up=\"1\" down=\"0\" total=\"1\"/>\n</runstats>\n</nmaprun>\n");
        return sb.toString();
    }

    private static String esc(String s) {
        return Text.markup(s, true);
    }

    private static String comment(String s) {
        return s == null ? "" : Text.markup(s, false).replace("--", "- -");
    }
}
