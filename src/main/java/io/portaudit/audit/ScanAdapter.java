package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.scan.NmapOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Turns scans (imported nmap/portaudit outputs, or a live scan's results) into {@link ScanFacts}. */
public final class ScanAdapter {
    private ScanAdapter() {}

    /** From an imported scan of one host, without portaudit's -sV. */
    static ScanFacts fromImport(String source, NmapOutputs.ScanImport scan) {
        return fromImport(source, scan, false);
    }

    /**
     * Whether a scan output is portaudit's own made with -sV (its XML {@code <nmaprun scanner="portaudit" args="...">}
     * or its JSON lines' {@code "scanner":"portaudit"} and {@code "args"}): only then does it carry the weak-TLS/SSH markers.
     */
    static boolean portauditServiceScan(String text) {
        if (text == null) return false;
        String head = text.length() > 8192 ? text.substring(0, 8192) : text;
        java.util.regex.Matcher xml = java.util.regex.Pattern.compile("<nmaprun[^>]*\\sscanner=\"portaudit\"[^>]*\\sargs=\"([^\"]*)\"").matcher(head);
        java.util.regex.Matcher xml2 = java.util.regex.Pattern.compile("<nmaprun[^>]*\\sargs=\"([^\"]*)\"[^>]*\\sscanner=\"portaudit\"").matcher(head);
        java.util.regex.Matcher json = java.util.regex.Pattern.compile("\"scanner\"\\s*:\\s*\"portaudit\"").matcher(head);
        java.util.regex.Matcher jargs = java.util.regex.Pattern.compile("\"args\"\\s*:\\s*\"([^\"]*)\"").matcher(head);
        String args = xml.find() ? xml.group(1) : xml2.find() ? xml2.group(1) : json.find() && jargs.find() ? jargs.group(1) : null;
        return args != null && java.util.regex.Pattern.compile("(^|\\s)(-sV|-A)(\\s|$)").matcher(args).find();
    }

    /** From an imported scan of one host; {@code serviceDetection} when it was portaudit's -sV. */
    static ScanFacts fromImport(String source, NmapOutputs.ScanImport scan, boolean serviceDetection) {
        String target = scan.hostsUp().isEmpty()
                ? scan.ports().stream().map(PortResult::address).findFirst().orElse("?")
                : scan.hostsUp().get(0);
        List<ScanFacts.Hidden> hidden = new ArrayList<>();
        for (NmapOutputs.NotShown n : scan.notShown()) {
            hidden.add(new ScanFacts.Hidden(n.protocol(), n.ports(), n.state(), n.ports() != null ? n.ports().size() : n.count()));
        }
        String summary = scan.notShown().isEmpty() ? null : "Not shown: " + scan.notShown().stream()
                .map(n -> n.count() + " " + n.state().label() + " " + (n.protocol() == null ? "" : n.protocol().label() + " ") + "ports")
                .collect(Collectors.joining(", "));
        List<PortResult> results = scan.ports().stream().filter(p -> p.address() == null || p.address().equals(target)
                || scan.hostsUp().size() <= 1).toList();
        return new ScanFacts(target, family(target), results, hidden, summary, false, source, serviceDetection);
    }

    /** From the audit's live scan of one address (always with -sV, see {@code AuditScan}). */
    public static ScanFacts fromLive(String target, List<PortResult> results, boolean partial) {
        return fromLive(target, results, partial, true);
    }

    /** From a live scan of one address. */
    public static ScanFacts fromLive(String target, List<PortResult> results, boolean partial, boolean serviceDetection) {
        long closed = results.stream().filter(r -> r.state() == PortState.CLOSED).count();
        long filtered = results.stream().filter(r -> r.state() == PortState.FILTERED).count();
        return new ScanFacts(target, family(target), results, List.of(),
                results.size() + " ports scanned: " + closed + " closed, " + filtered + " filtered", partial, "scan of " + target,
                serviceDetection);
    }

    /** A literal with a colon is IPv6; anything else (an IPv4 literal, a host name, the seed's placeholder) counts as IPv4. */
    static AddressFamily family(String target) {
        return target != null && target.contains(":") ? AddressFamily.IPV6 : AddressFamily.IPV4;
    }
}
