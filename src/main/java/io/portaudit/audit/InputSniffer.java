package io.portaudit.audit;

import io.portaudit.firewall.FirewallFormat;
import io.portaudit.inventory.Inventory;
import io.portaudit.inventory.InventoryFormat;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import io.portaudit.scan.NmapOutputs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads outputs pasted from a device: sniffs each text's kind from its content (or takes the
 * kind given), hands it to its view's parser, and assembles the audit's input.
 */
public final class InputSniffer {
    public static final List<String> KINDS = List.of("iptables-L", "ip6tables-L", "iptables-S", "ip6tables-S", "iptables-save",
            "ip6tables-save", "nft", "nft-json", "netstat", "ss", "proc-net", "socket-owners", "bindv6only", "nmap-normal", "nmap-xml",
            "portaudit-json", "services");

    /** One input text: its name, the kind the user forced (or null), the text. */
    public record Labeled(String source, String kind, String text) {}

    public static final class InputException extends Exception {
        public InputException(String message) {
            super(message);
        }
    }

    private InputSniffer() {}

    /** The kind of a text from its content, by each view's own detector; empty when it is none portaudit reads. */
    public static Optional<String> sniff(String text) {
        Optional<String> fw = FirewallFormat.detect(text);
        if (fw.isPresent()) return fw;
        Optional<String> scan = NmapOutputs.detect(text);
        if (scan.isPresent()) return Optional.of(scan.get().equals(NmapOutputs.JSON_LINES) ? "portaudit-json" : scan.get());
        Optional<String> inv = InventoryFormat.detect(text);
        if (inv.isPresent()) return Optional.of(inv.get().startsWith("proc-net") ? "proc-net" : inv.get());
        if (InventoryFormat.isBindV6Only(text)) return Optional.of(DeviceSnapshot.KIND_BINDV6ONLY);
        return Optional.empty();
    }

    public static AuditInput read(List<Labeled> texts, ServiceNames names) throws InputException {
        Problems problems = new Problems();
        List<String> notes = new ArrayList<>();
        List<Capture> firewallTexts = new ArrayList<>();
        List<Capture> listenerTexts = new ArrayList<>();
        boolean listingGiven = false;
        List<Listener> listeners = null;
        ScanFacts scan = null;
        ServiceNames table = names;
        // a services file first: its names apply to every other input
        for (Labeled l : texts) {
            if ("services".equals(l.kind())) table = table.withServicesText(l.source(), l.text(), problems);
        }
        Instant at = Instant.now();
        for (Labeled l : texts) {
            String kind = kindOf(l);
            switch (kind) {
                case "services" -> { }
                case "iptables-L", "ip6tables-L", "iptables-S", "ip6tables-S", "iptables-save", "ip6tables-save", "nft", "nft-json" ->
                        firewallTexts.add(new Capture(captureKind(kind), l.source(), null, l.text(), "", at, "input", false));
                case "netstat", "ss", "proc-net", "socket-owners", "bindv6only" -> {
                    // read the way 'inventory --from' reads them (Inventory.fromSnapshot): one merge of the
                    // listings, one dual-stack rule for :: (ScopeResolver), owners from socket-owners
                    String k = switch (kind) {
                        case "proc-net" -> InventoryFormat.detect(l.text()).filter(x -> x.startsWith("proc-net"))
                                .orElse(DeviceSnapshot.KIND_PROC_NET_TCP);
                        case "socket-owners" -> DeviceSnapshot.KIND_SOCKET_OWNERS;
                        default -> kind;
                    };
                    listingGiven |= !kind.equals("socket-owners") && !kind.equals("bindv6only");
                    listenerTexts.add(new Capture(k, l.source(), null, l.text(), "", at, "input", false));
                }
                case "nmap-normal", "nmap-xml", "portaudit-json" -> {
                    if (scan != null) throw new InputException(l.source() + ": only one scan can be audited at a time");
                    NmapOutputs.ScanImport imp = NmapOutputs.read(l.source(), l.text());
                    problems.addAll(imp.problems());
                    if (imp.hostsUp().size() > 1) {
                        throw new InputException(l.source() + ": the scan covers " + imp.hostsUp().size()
                                + " hosts; an audit is about one device (split the scan per host)");
                    }
                    scan = ScanAdapter.fromImport(l.source(), imp, ScanAdapter.portauditServiceScan(l.text()));
                }
                default -> throw new InputException(l.source() + ": unknown kind '" + kind + "'");
            }
        }
        if (listingGiven) {
            listeners = Inventory.fromSnapshot(new DeviceSnapshot("input", null, at, listenerTexts, false, List.of()), table, problems);
        } else if (!listenerTexts.isEmpty()) {
            notes.add("no socket listing (netstat, ss, /proc/net) was given: "
                    + String.join(", ", listenerTexts.stream().map(Capture::command).toList()) + " describe(s) listeners nobody listed");
        }
        FirewallFacts firewall = firewallTexts.isEmpty() ? null : FirewallAdapter.fromTexts(firewallTexts, table);
        String host = scan != null ? scan.target() : "pasted outputs";
        DeviceSnapshot snap = new DeviceSnapshot("input", host, at, List.of(), false, List.of());
        notes.add("audited from pasted outputs: " + String.join(", ", texts.stream().map(Labeled::source).toList()));
        return new AuditInput(snap, firewall, listeners, scan, problems.list(), notes);
    }

    private static String kindOf(Labeled l) throws InputException {
        if (l.kind() != null) {
            if (!KINDS.contains(l.kind())) throw new InputException(l.source() + ": unknown kind '" + l.kind() + "'");
            return l.kind();
        }
        return sniff(l.text()).orElseThrow(() -> new InputException(l.source()
                + ": cannot tell what kind of output this is; give it as KIND:FILE with KIND one of " + String.join(", ", KINDS)));
    }

    private static String captureKind(String kind) {
        return switch (kind) {
            case "iptables-L" -> DeviceSnapshot.KIND_IPTABLES_LIST;
            case "ip6tables-L" -> DeviceSnapshot.KIND_IP6TABLES_LIST;
            case "iptables-S" -> DeviceSnapshot.KIND_IPTABLES_RULES;
            case "ip6tables-S" -> "ip6tables-S";
            case "iptables-save" -> DeviceSnapshot.KIND_IPTABLES_SAVE;
            case "ip6tables-save" -> DeviceSnapshot.KIND_IP6TABLES_SAVE;
            case "nft-json" -> DeviceSnapshot.KIND_NFT_JSON;
            default -> DeviceSnapshot.KIND_NFT;
        };
    }
}
