package io.portaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.audit.ConsoleLog;
import io.portaudit.audit.InputSniffer;
import io.portaudit.collect.CommandRunner;
import io.portaudit.firewall.Evaluator;
import io.portaudit.firewall.Firewall;
import io.portaudit.firewall.FirewallFormat;
import io.portaudit.firewall.FirewallView;
import io.portaudit.firewall.LabeledText;
import io.portaudit.firewall.Packet;
import io.portaudit.firewall.Ruleset;
import io.portaudit.firewall.AddrRange;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Evidence;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Finding;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.RuleRef;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Text;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit firewall}. */
@Command(name = "firewall",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Read firewall rules (iptables -L/-S/-save, ip6tables, nft) and show what a remote host can reach.",
        description = {
            "",
            "Reads each FILE (format detected from its content, or given with --format KIND or KIND:FILE) and evaluates the "
                    + "kernel's input path for a NEW connection from a remote host on a non-loopback interface: nat PREROUTING "
                    + "(REDIRECT/DNAT), every base chain by priority, jumps, gotos, RETURN and policies. Prints, per address "
                    + "family and protocol, which ports are accepted, dropped (a scan sees filtered), rejected (closed) or unknown "
                    + "(a rule portaudit cannot evaluate was involved: possibly open), with the rule that decided.",
            "",
            "Without FILE it reads this machine's rules: 'nft list ruleset' when nft is installed (it shows iptables-nft rules "
                    + "too), otherwise iptables-save and ip6tables-save, plus iptables-legacy-save when legacy tables exist.",
            "",
            "Formats (KIND): iptables-save, ip6tables-save, iptables-L, ip6tables-L, iptables-S, nft, nft-json.",
            "",
            "Exit codes: 0 read and evaluated; 2 usage or input error (nothing could be read); 3 incomplete: a line that could "
                    + "hold a rule could not be read (the ports it could touch are shown unknown), unless --accept-unreadable.",
            ""
        })
public final class FirewallCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Ruleset files; '-' reads standard input; KIND:FILE forces a format.")
    List<String> files = new ArrayList<>();

    @Option(names = "--format", paramLabel = "KIND", description = "Read every FILE as KIND instead of detecting it.")
    String format;

    @Option(names = "--trace", paramLabel = "PROTO/PORT", description = "Print the path one packet (e.g. tcp/23) takes, rule by rule. A rule whose interface iptables -L "
                    + "hid is followed as -i lo, and its line says so and what the literal reading would do.")
    String trace;

    @Option(names = "--accept-unreadable",
            description = "Accept input lines that could not be read: they are still reported and the ports they could touch "
                    + "still shown unknown, but they no longer make the command exit 3.")
    boolean acceptUnreadable;

    @Option(names = "--iface", paramLabel = "IF", description = "With --trace: the input interface (default: some non-loopback interface).")
    String iface;

    @Option(names = "--src", paramLabel = "ADDR", description = "With --trace: the source address (default: any remote host).")
    String src;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Problems nameProblems = new Problems();
        Problems pasteProblems = new Problems();
        ServiceNames names = common.serviceNames(nameProblems);
        List<LabeledText> inputs = new ArrayList<>();
        String where;
        if (files.isEmpty()) {
            inputs.addAll(local(err));
            where = io.portaudit.model.L10n.t("cmd.fw.thismachine");
            if (inputs.isEmpty()) {
                boolean tools = CommandRunner.which("nft") != null || CommandRunner.which("iptables-save") != null;
                throw new UserException(tools ? io.portaudit.model.L10n.t("cmd.fw.needroot") : io.portaudit.model.L10n.t("cmd.fw.notool"), ExitCodes.INCOMPLETE);
            }
        } else {
            where = String.join(", ", files);
            InputFiles reader = new InputFiles("", FirewallCommand::kindOrNull, FirewallFormat.KINDS, false);
            for (String f : files) inputs.addAll(read(reader, f, pasteProblems, err));
        }
        FirewallView view;
        try {
            view = Firewall.analyze(inputs, names);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        for (ParseProblem p : nameProblems.list()) err.println(p.format());
        for (ParseProblem p : pasteProblems.list()) err.println(p.format());
        for (ParseProblem p : view.problems()) err.println(p.format());
        boolean nothing = view.rulesets().stream().allMatch(r -> r.tables().isEmpty());
        boolean unreadable = view.hasErrors() || pasteProblems.hasErrors();
        int done = trace != null ? trace(view, out) : ExitCodes.OK;
        if (trace == null) {
            output.write(out, err, common.verbosity() < 0, "firewall", java.util.Set.of("text", "json"), (format, w) -> {
                if (format.equals("json")) json(view, w);
                else text(view, where, w);
            });
            out.flush();
        }
        if (nothing && unreadable) return ExitCodes.USAGE;
        return done != ExitCodes.OK ? done : incomplete(unreadable, view, pasteProblems, err);
    }

    /**
     * The rule every command follows (docs/ROBUSTNESS.md): an error problem is a line that could hold a rule; it leaves
     * the ports it could touch unknown and the answer incomplete: exit 3, unless --accept-unreadable.
     */
    private int incomplete(boolean unreadable, FirewallView view, Problems pasteProblems, PrintWriter err) {
        if (!unreadable) return ExitCodes.OK;
        long lines = view.problems().stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).count()
                + pasteProblems.list().stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).count();
        if (acceptUnreadable) {
            if (common.verbosity() >= 0) err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.fw.accepted", lines));
            return ExitCodes.OK;
        }
        err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.fw.incomplete", lines));
        return ExitCodes.INCOMPLETE;
    }

    /** The firewall format a KIND: prefix names (aliases included), or null. */
    private static String kindOrNull(String k) {
        try {
            return FirewallFormat.normalize(k);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private List<LabeledText> read(InputFiles files, String arg, Problems problems, PrintWriter err) {
        InputFiles.Input in = files.read(arg);
        String kind = in.kind();
        if (kind == null && format != null) {
            try {
                kind = FirewallFormat.normalize(format);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
        }
        String source = in.source();
        // one reading for every parser: decoded (UTF-8, else Shift_JIS/EUC-JP per line), BOM, CR/CRLF, Unicode spaces
        InputSniffer.Labeled l = in.as(kind);
        problems.addAll(l.decodeProblems());
        List<String> notes = new ArrayList<>(l.decodeNotes());
        List<LabeledText> out = new ArrayList<>();
        if (ConsoleLog.split(source, l.text()).isEmpty() && !l.text().isBlank()) {
            out.add(new LabeledText(kind, source, l.text()));
        } else {
            // a console paste (prompt lines), or an empty capture: read what its prompt lines (or its name) say
            List<InputSniffer.Piece> pieces;
            try {
                pieces = InputSniffer.pieces(l, problems, notes);
            } catch (InputSniffer.InputException e) {
                throw new UserException(e.getMessage());
            }
            for (InputSniffer.Piece p : pieces) {
                if (InputSniffer.view(p.kind()).equals("firewall")) {
                    out.add(new LabeledText(p.kind().equals("ip6tables-S") ? DeviceSnapshot.KIND_IPTABLES_RULES : p.kind(), source, p.text()));
                } else {
                    notes.add(io.portaudit.model.L10n.t("cmd.fw.notruleset", source, p.kind()));
                }
            }
            if (out.isEmpty()) throw new UserException(io.portaudit.model.L10n.t("cmd.fw.noruleset", source, String.join("; ", notes)));
        }
        if (common.verbosity() >= 0) for (String n : notes) err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.note", Text.printable(n, 2000)));
        return out;
    }

    /** This machine's rules, through the tools that exist. */
    private List<LabeledText> local(PrintWriter err) {
        CommandRunner runner = new CommandRunner();
        List<LabeledText> in = new ArrayList<>();
        String nft = CommandRunner.which("nft");
        if (nft != null) {
            add(in, runner.run("nft", List.of(nft, "list", "ruleset"), "local"), "nft", err);
        } else {
            String s4 = CommandRunner.which("iptables-save"), s6 = CommandRunner.which("ip6tables-save");
            if (s4 != null) add(in, runner.run("iptables-save", List.of(s4), "local"), "iptables-save", err);
            if (s6 != null) add(in, runner.run("ip6tables-save", List.of(s6), "local"), "ip6tables-save", err);
        }
        String legacy = CommandRunner.which("iptables-legacy-save");
        if (legacy != null) {
            Capture c = runner.run("iptables-save", List.of(legacy), "local");
            if (c.ok() && c.stdout().contains("\n*")) add(in, c, "iptables-save", err);
        }
        return in;
    }

    private static void add(List<LabeledText> in, Capture c, String kind, PrintWriter err) {
        if (!c.ok()) {
            err.println("portaudit: " + c.command() + ": " + (c.exitStatus() == null ? io.portaudit.model.L10n.t("cmd.didnotfinish") : io.portaudit.model.L10n.t("cmd.exitstatus", c.exitStatus())) + ": "
                    + Text.printable(c.stderr().strip(), 300));
            if (c.stdout().isBlank()) return;
        }
        in.add(new LabeledText(kind, c.command(), c.stdout(), c.stderr()));
    }

    private int trace(FirewallView view, PrintWriter out) {
        int slash = trace.indexOf('/');
        Protocol p = slash < 0 ? null : Protocol.parse(trace.substring(0, slash));
        int port;
        try {
            port = Integer.parseInt(trace.substring(slash + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (p == null || (port < 0 && !trace.substring(slash + 1).matches("[0-9]+"))) throw new UserException(io.portaudit.model.L10n.t("cmd.fw.trace", trace));
        if (port < 1 || port > 65535) throw new UserException(io.portaudit.model.L10n.t("cmd.fw.traceport", trace, trace.substring(slash + 1)));
        BigInteger source = null;
        AddressFamily only = null;
        if (src != null) {
            source = AddrRange.literal(src);
            if (source == null) throw new UserException(io.portaudit.model.L10n.t("cmd.fw.src", src));
            only = src.contains(":") ? AddressFamily.IPV6 : AddressFamily.IPV4;
        }
        for (AddressFamily f : AddressFamily.values()) {
            if (only != null && f != only) continue;
            if (!view.families().contains(f)) continue;
            Packet pk = Packet.remote(f, p).withIface(iface).withSource(source);
            out.println(f.label() + " " + p.label() + "/" + port + (iface == null ? "" : " " + io.portaudit.model.L10n.t("cmd.fw.tracein", Text.printable(iface, 40)))
                    + (src == null ? "" : " " + io.portaudit.model.L10n.t("cmd.fw.tracefrom", Text.printable(src, 60))) + ":");
            for (String l : Evaluator.trace(view.rulesets(), pk, port)) out.println("  " + Text.printable(l, 300));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void text(FirewallView v, String where, PrintWriter out) {
        out.println(io.portaudit.model.L10n.t("cmd.fw.title", Text.printable(where, 200), v.backend()));
        for (Ruleset rs : v.rulesets()) {
            for (String w : rs.warnings()) out.println("  " + io.portaudit.model.L10n.t("cmd.note", Text.printable(rs.source(), 200) + ": " + Text.printable(w, 200)));
        }
        for (Exposure e : v.exposures()) {
            out.println();
            out.println(e.family().label() + " " + e.protocol().label() + ":");
            out.println("  " + Columns.row(new int[] {13, 8}, io.portaudit.model.L10n.t("cmd.fw.colports"), io.portaudit.model.L10n.t("cmd.fw.colverdict"), io.portaudit.model.L10n.t("cmd.fw.coldecided")));
            for (ExposureRange r : e.ranges()) {
                String verdict = r.verdict().label();
                out.printf("  %-13s %-8s %s%n", r.range(), verdict, Text.printable(describe(r), 160));
            }
        }
        for (AddressFamily f : AddressFamily.values()) {
            if (!v.families().contains(f)) out.println("\n" + f.label() + ": " + io.portaudit.model.L10n.t("cmd.fw.noruleseen"));
        }
        if (!v.findings().isEmpty()) {
            out.println();
            out.println(io.portaudit.model.L10n.t("cmd.findings"));
            for (Finding f : v.findings()) {
                out.println("  [" + f.severity().label() + "] " + f.id() + ": " + Text.printable(f.title(), 200));
                out.println("      " + Text.printable(f.detail(), 1000));
                for (Evidence ev : f.evidence()) out.println("      " + io.portaudit.model.L10n.t("cmd.fw.evidence") + " " + Text.printable(ev.source(), 200) + ": " + Text.printable(ev.text(), 200));
                for (String r : f.remedy()) out.println("      " + io.portaudit.model.L10n.t("cmd.fw.fix") + " " + Text.printable(r, 300));
            }
        }
    }

    private static String describe(ExposureRange r) {
        RuleRef ref = r.rule();
        String rej = r.rejectWith() == null ? "" : "(" + r.rejectWith() + ") ";
        if (ref == null) return rej + "-";
        if ("-".equals(ref.table())) return rej + ref.text() + " (nothing filters)";
        return rej + ref.table() + " " + ref.label() + ": " + ref.text().replaceAll("\\s+", " ") + "  [" + ref.source() + "]";
    }

    /** {@code firewall --json}: the exposures, problems and findings in the model's one JSON mapping (docs/FORMATS.md). */
    private static void json(FirewallView v, PrintWriter out) throws IOException {
        ObjectMapper mapper = io.portaudit.model.ModelJson.mapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("backend", v.backend());
        root.set("families", mapper.valueToTree(v.families().stream().map(AddressFamily::label).sorted().toList()));
        root.set("exposures", mapper.valueToTree(v.exposures()));
        root.set("problems", mapper.valueToTree(v.problems()));
        root.set("findings", mapper.valueToTree(v.findings()));
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
