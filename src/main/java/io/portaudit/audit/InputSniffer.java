package io.portaudit.audit;

import io.portaudit.firewall.FirewallFormat;
import io.portaudit.firewall.Ruleset;
import io.portaudit.inventory.Inventory;
import io.portaudit.inventory.InventoryFormat;
import io.portaudit.inventory.InventoryText;
import io.portaudit.model.Capture;
import io.portaudit.model.InputText;
import io.portaudit.model.L10n;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
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
            "portaudit-json", "services", "portaudit-audit");

    /**
     * One input text: its name, the kind the user forced (or null), the text, and what decoding its bytes
     * found ({@link InputText#decode}: lines that could not be decoded, the encoding used); {@code bytes} are the
     * file's bytes exactly as read (null when the text did not come from bytes), kept with the audit as its raw
     * evidence, and {@code charset} the one encoding they are in (null: unknown, see {@link InputText.Decoded#charset}).
     */
    public record Labeled(String source, String kind, String text, List<ParseProblem> decodeProblems, List<String> decodeNotes,
                          String netnsAddress, byte[] bytes, String charset) {
        public Labeled {
            decodeProblems = List.copyOf(decodeProblems);
            decodeNotes = List.copyOf(decodeNotes);
        }

        public Labeled(String source, String kind, String text, List<ParseProblem> decodeProblems, List<String> decodeNotes,
                       String netnsAddress) {
            this(source, kind, text, decodeProblems, decodeNotes, netnsAddress, null, null);
        }

        public Labeled(String source, String kind, String text, List<ParseProblem> decodeProblems, List<String> decodeNotes) {
            this(source, kind, text, decodeProblems, decodeNotes, null);
        }

        /**
         * This text is the listing of another network namespace (a container) that holds {@code address}
         * ({@code --input KIND@ADDRESS:FILE}); null: the device's own.
         */
        public Labeled at(String address) {
            return new Labeled(source, kind, text, decodeProblems, decodeNotes, address, bytes, charset);
        }

        /** This text with the kind {@code k} forced (null: to be sniffed). */
        public Labeled as(String k) {
            return new Labeled(source, k, text, decodeProblems, decodeNotes, netnsAddress, bytes, charset);
        }

        public Labeled(String source, String kind, String text) {
            this(source, kind, text, List.of(), List.of());
        }

        /** A file's bytes, decoded and normalised the one way every parser's input is; the bytes kept as they are. */
        public static Labeled ofBytes(String source, String kind, byte[] bytes) {
            InputText.Decoded d = InputText.decode(source, bytes);
            return new Labeled(source, kind, d.text(), d.problems(), d.notes(), null, bytes, d.charset());
        }
    }

    public static final class InputException extends Exception {
        public InputException(String message) {
            super(message);
        }
    }

    private InputSniffer() {}

    /** The kind of a text from its content, by each view's own detector; empty when it is none portaudit reads. */
    public static Optional<String> sniff(String text) {
        text = InputText.normalize(text);
        if (AuditJson.looksLike(text)) return Optional.of(PREVIOUS_RESULT);
        Optional<String> fw = FirewallFormat.detect(text);
        if (fw.isPresent()) return fw;
        Optional<String> scan = NmapOutputs.detect(text);
        if (scan.isPresent()) return Optional.of(scan.get().equals(NmapOutputs.JSON_LINES) ? "portaudit-json" : scan.get());
        Optional<String> inv = InventoryFormat.detect(text);
        if (inv.isPresent()) return Optional.of(inv.get().startsWith("proc-net") ? "proc-net" : inv.get());
        if (InventoryFormat.isBindV6Only(text)) return Optional.of(DeviceSnapshot.KIND_BINDV6ONLY);
        return Optional.empty();
    }

    /** One text to hand to a parser: its kind, its text (lines numbered as in the file) and its lines alone. */
    public record Piece(String kind, String source, String text, String own) {}

    /** The view a kind feeds: firewall, listeners, scan or services. */
    public static String view(String kind) {
        return switch (kind) {
            case "netstat", "ss", "proc-net", "socket-owners", "bindv6only" -> "listeners";
            case "nmap-normal", "nmap-xml", "portaudit-json" -> "scan";
            case "services" -> "services";
            default -> "firewall";
        };
    }

    /** The kind of a previous audit result ({@code audit --json}), read back by {@link #previousResult}. */
    public static final String PREVIOUS_RESULT = "portaudit-audit";

    /** Whether an input is a previous audit result (forced {@code portaudit-audit:FILE}, or sniffed). */
    public static boolean isPreviousResult(Labeled l) {
        return PREVIOUS_RESULT.equals(l.kind()) || l.kind() == null && AuditJson.looksLike(InputText.normalize(l.text()));
    }

    /**
     * A previous audit result ({@code portaudit audit --json}) given as the input: read back as it was written
     * ({@link AuditJson#read}); empty when no input is one. It is read alone: with other inputs it is an error.
     */
    public static Optional<AuditResult> previousResult(List<Labeled> texts) throws InputException {
        Labeled prev = texts.stream().filter(InputSniffer::isPreviousResult).findFirst().orElse(null);
        if (prev == null) return Optional.empty();
        if (texts.size() > 1) {
            throw new InputException(prev.source() + ": a previous audit result is read back alone; give it as the only --input");
        }
        try {
            return Optional.of(AuditJson.read(prev.text()));
        } catch (AuditJson.AuditJsonException e) {
            throw new InputException(prev.source() + ": " + e.getMessage());
        }
    }

    /** Reads pasted outputs; {@code clock} stamps their captures (as a collector's clock does). */
    public static AuditInput read(List<Labeled> texts, ServiceNames names, java.time.Clock clock) throws InputException {
        for (Labeled l : texts) {
            if (isPreviousResult(l)) {
                throw new InputException(l.source() + ": a previous audit result cannot be mixed with device outputs; "
                        + "'portaudit audit --input " + l.source() + "' reads it back alone");
            }
        }
        Problems problems = new Problems();
        List<String> notes = new ArrayList<>();
        List<Capture> firewallTexts = new ArrayList<>();
        List<Capture> listenerTexts = new ArrayList<>();
        // listings of other namespaces (KIND@ADDRESS:FILE): by address, and the arguments that gave them
        java.util.Map<String, String> netnsSources = new java.util.LinkedHashMap<>();
        List<Ruleset> rulesets = new ArrayList<>();
        Problems firewallProblems = new Problems();
        boolean listingGiven = false;
        List<Listener> listeners = null;
        ScanFacts scan = null;
        ServiceNames table = names;
        // a services file first: its names apply to every other input
        for (Labeled l : texts) {
            if ("services".equals(l.kind())) table = table.withServicesText(l.source(), InputText.normalize(l.text()), problems);
        }
        Instant at = clock.instant();
        for (Labeled l : texts) {
            problems.addAll(l.decodeProblems());
            notes.addAll(l.decodeNotes());
            if ("services".equals(l.kind())) continue;
            String ns = null;
            if (l.netnsAddress() != null) {
                ns = NetnsView.canonical(l.netnsAddress()).orElseThrow(() -> new InputException(l.source() + ": '" + l.netnsAddress()
                        + "' is not an IP address (KIND@ADDRESS:FILE names the address of the namespace the listing comes from)"));
                netnsSources.merge(ns, l.source(), (x, y) -> x + ", " + y);
            }
            for (Piece p : pieces(new Labeled(l.source(), l.kind(), InputText.normalize(l.text())), problems, notes)) {
                String kind = p.kind();
                if (ns != null && !List.of("netstat", "ss", "proc-net").contains(kind)) {
                    throw new InputException(p.source() + ": read as " + kind + ", but a listing given as KIND@" + l.netnsAddress()
                            + ":FILE must be the socket listing of that namespace (netstat, ss, proc-net)");
                }
                switch (kind) {
                    case "services" -> { }
                    case "iptables-L", "ip6tables-L", "iptables-S", "ip6tables-S", "iptables-save", "ip6tables-save", "nft", "nft-json" -> {
                        Problems mine = new Problems();
                        Ruleset rs = FirewallFormat.parse(captureKind(kind), p.source(), p.text(), table, mine);
                        if (rs.tables().stream().allMatch(t -> t.chains().isEmpty()) && !p.own().isBlank()) nothingRead(l, p, kind, mine);
                        rulesets.add(rs);
                        firewallProblems.addAll(mine.list());
                        firewallTexts.add(new Capture(captureKind(kind), p.source(), null, p.text(), "", at, "input", false));
                    }
                    case "netstat", "ss", "proc-net", "socket-owners", "bindv6only" -> {
                        // read the way 'inventory --from' reads them (Inventory.fromSnapshot): one merge of the
                        // listings, one dual-stack rule for :: (ScopeResolver), owners from socket-owners
                        String k = switch (kind) {
                            case "proc-net" -> InventoryFormat.detect(p.own()).filter(x -> x.startsWith("proc-net"))
                                    .orElse(DeviceSnapshot.KIND_PROC_NET_TCP);
                            case "socket-owners" -> DeviceSnapshot.KIND_SOCKET_OWNERS;
                            default -> kind;
                        };
                        listingGiven |= ns == null && !kind.equals("socket-owners") && !kind.equals("bindv6only");
                        if (!kind.equals("socket-owners") && !kind.equals("bindv6only")) {
                            // a listing from which nothing at all could be read is an input error, not an empty view
                            Problems mine = new Problems();
                            if (InventoryText.parse(k, p.source(), p.text(), table, mine).isEmpty()) nothingRead(l, p, kind, mine);
                        }
                        listenerTexts.add(new Capture(k, p.source(), null, p.text(), "", at, "input", false, ns));
                    }
                    case "nmap-normal", "nmap-xml", "portaudit-json" -> {
                        if (scan != null) throw new InputException(p.source() + ": only one scan can be audited at a time");
                        NmapOutputs.ScanImport imp = NmapOutputs.read(p.source(), p.text());
                        if (imp.hostsUp().isEmpty() && imp.ports().isEmpty()) {
                            Problems mine = new Problems();
                            mine.addAll(imp.problems());
                            nothingRead(l, p, kind, mine);
                        }
                        problems.addAll(imp.problems());
                        if (imp.hostsUp().size() > 1) {
                            throw new InputException(p.source() + ": the scan covers " + imp.hostsUp().size()
                                    + " hosts; an audit is about one device (split the scan per host)");
                        }
                        scan = ScanAdapter.fromImport(p.source(), imp, ScanAdapter.portauditServiceScan(p.own()));
                    }
                    default -> throw new InputException(p.source() + ": unknown kind '" + kind + "'");
                }
            }
        }
        List<NetnsView> others = new ArrayList<>();
        if (listingGiven || !netnsSources.isEmpty()) {
            List<Listener> all = Inventory.fromSnapshot(new DeviceSnapshot("input", null, at, listenerTexts, false, List.of()), table, problems);
            if (listingGiven) listeners = all.stream().filter(x -> x.netns() == null).toList();
            for (var e : netnsSources.entrySet()) {
                others.add(new NetnsView(e.getKey(), java.util.Set.of(e.getKey()),
                        all.stream().filter(x -> e.getKey().equals(x.netns())).toList(), "--input " + e.getValue()));
                notes.add(L10n.t("is.note.netns", e.getValue(), e.getKey()));
            }
        }
        if (listingGiven) {
            // the device's own listeners: read above
        } else if (listenerTexts.stream().anyMatch(c -> c.netns() == null)) {
            notes.add(L10n.t("is.note.nolisting", String.join(", ", listenerTexts.stream().map(Capture::command).toList())));
        }
        FirewallFacts firewall = firewallTexts.isEmpty() ? null : FirewallAdapter.fromRulesets(rulesets, firewallProblems, firewallTexts);
        String host = scan != null ? scan.target() : "pasted outputs";
        DeviceSnapshot snap = new DeviceSnapshot("input", host, at, List.of(), false, List.of());
        notes.add(L10n.t("note.pasted") + " " + String.join(", ", texts.stream().map(Labeled::source).toList()));
        return new AuditInput(snap, firewall, listeners, scan, problems.list(), notes, others);
    }

    /**
     * What of one (normalised) text is read, and as what: a console paste is split at its prompt lines
     * ({@link ConsoleLog}); a plain listing is one piece of the kind given or sniffed.
     */
    public static List<Piece> pieces(Labeled l, Problems problems, List<String> notes) throws InputException {
        Optional<ConsoleLog.Split> split = ConsoleLog.split(l.source(), l.text());
        if (split.isEmpty()) return List.of(new Piece(kindOf(l, notes), l.source(), l.text(), l.text()));
        ConsoleLog.Split s = split.get();
        problems.addAll(s.problems());
        notes.addAll(s.notes());
        List<ConsoleLog.Part> parts = s.parts();
        if (l.kind() != null) {
            kindOf(l, notes); // checks the name
            if (parts.size() > 1) {
                throw new InputException(l.source() + ": holds " + parts.size() + " listings ("
                        + String.join(", ", parts.stream().map(p -> p.kind() + " at line " + p.firstLine()).toList())
                        + "); give it without " + l.kind() + ": so that each is read as its prompt line (or header) says");
            }
            if (parts.size() == 1 && parts.get(0).command() != null && !parts.get(0).kind().equals(l.kind())
                    && !(l.kind().equals("proc-net") && parts.get(0).kind().equals("proc-net"))) {
                throw new InputException(l.source() + ": given as " + l.kind() + ", but line " + parts.get(0).promptLine()
                        + " says it is the output of `" + io.portaudit.model.Text.printable(parts.get(0).command(), 80) + "` ("
                        + parts.get(0).kind() + ")");
            }
        }
        if (parts.isEmpty()) {
            throw new InputException(l.source() + ": a console paste of " + s.commands() + " command(s) with no output portaudit reads "
                    + "(iptables -L/-S, iptables-save, nft list ruleset, netstat, ss, cat /proc/net/*, nmap); " + String.join("; ", s.notes()));
        }
        List<Piece> out = new ArrayList<>();
        // a part ends where the next prompt starts, not where its command's output was cut: it gets its line end back
        // (the parsers take a last line without one for a cut output), except the last part of a file that has none
        boolean fileEnds = l.text().endsWith("\n");
        for (int i = 0; i < parts.size(); i++) {
            ConsoleLog.Part p = parts.get(i);
            String text = p.text(), own = p.own();
            if ((fileEnds || i < parts.size() - 1) && !text.isEmpty() && !text.endsWith("\n")) {
                text = text + "\n";
                own = own.endsWith("\n") ? own : own + "\n";
            }
            out.add(new Piece(l.kind() != null ? l.kind() : p.kind(), l.source(), text, own));
        }
        return out;
    }

    /**
     * A piece that yields nothing (no rule, no chain, no listener, no scanned host or port) and could not be read: an input
     * error naming the file and the kind tried, never an empty view that passes. A piece that was read and holds nothing
     * (a netstat with no listener, an empty ruleset) is not one: it has no error.
     */
    private static void nothingRead(Labeled l, Piece p, String kind, Problems mine) throws InputException {
        ParseProblem first = mine.list().stream().filter(x -> x.severity() == ParseProblem.Severity.ERROR).findFirst().orElse(null);
        if (first == null) return;
        throw new InputException(p.source() + ": nothing could be read as " + kind + (l.kind() == null ? " (the kind sniffed)" : "")
                + ": " + first.message() + (first.line() > 0 ? " (line " + first.line() + ")" : "")
                + (l.kind() != null ? "; is it really " + kind + "? Without KIND: the kind is sniffed from the content" : ""));
    }

    private static String kindOf(Labeled l, List<String> notes) throws InputException {
        if (l.kind() != null) {
            if (!KINDS.contains(l.kind())) throw new InputException(l.source() + ": unknown kind '" + l.kind() + "'");
            return l.kind();
        }
        Optional<String> k = sniff(l.text());
        if (k.isPresent()) return k.get();
        Optional<String> empty = emptyCapture(l);
        if (empty.isPresent()) {
            notes.add(L10n.t(l.text().isBlank() ? "is.note.empty" : "is.note.comments", l.source(), empty.get(), noRules(empty.get())));
            return empty.get();
        }
        if (l.text().isBlank() || commentsOnly(l.text())) {
            throw new InputException(l.source() + ": " + (l.text().isBlank() ? "is empty" : "holds only comments")
                    + ": that is what iptables-save, ip6tables-save and nft list ruleset print when no rule is loaded, but which of them"
                    + " is not said; give it as KIND:FILE (e.g. ip6tables-save:" + l.source() + ") to read it as that");
        }
        throw new InputException(l.source()
                + ": cannot tell what kind of output this is; give it as KIND:FILE with KIND one of " + String.join(", ", KINDS));
    }

    /**
     * A text with no rule at all is what iptables-save, ip6tables-save and nft print when nothing is loaded:
     * the kind then comes from a comment the tool printed ({@code # Warning: ip6tables-legacy tables present})
     * or, for an empty file, from the file's name ({@code ip6tables-save.txt}).
     */
    private static Optional<String> emptyCapture(Labeled l) {
        String t = l.text();
        if (!t.isBlank() && !commentsOnly(t)) return Optional.empty();
        String hint = t.isBlank() ? java.nio.file.Path.of(l.source()).getFileName().toString() : t;
        hint = hint.toLowerCase(Locale.ROOT);
        if (hint.contains("ip6tables")) return Optional.of("ip6tables-save");
        if (hint.contains("iptables")) return Optional.of("iptables-save");
        if (t.isBlank() && hint.matches(".*\\bnft\\b.*")) return Optional.of("nft");
        return Optional.empty();
    }

    /** What an empty output of a ruleset tool says about the kernel. */
    static String noRules(String kind) {
        return switch (kind) {
            case "ip6tables-save" -> L10n.t("is.norules.ip6");
            case "iptables-save" -> L10n.t("is.norules.ip4");
            default -> L10n.t("is.norules.nft");
        };
    }

    private static boolean commentsOnly(String text) {
        for (String line : io.portaudit.model.Text.lines(text)) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) return false;
        }
        return true;
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
