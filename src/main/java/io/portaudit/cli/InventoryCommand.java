package io.portaudit.cli;

import io.portaudit.audit.ConsoleLog;
import io.portaudit.audit.InputSniffer;
import io.portaudit.inventory.Inventory;
import io.portaudit.inventory.InventoryFormat;
import io.portaudit.inventory.InventoryOutput;
import io.portaudit.inventory.NetnsMode;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit inventory}. */
@Command(name = "inventory",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "List every listening TCP socket and bound UDP socket with the program behind it.",
        description = {
            "",
            "Without --from, reads this machine's kernel tables (/proc/net/tcp, tcp6, udp, udp6) of every network namespace "
                    + "(containers and namespaces included; --netns current for only portaudit's own), and finds each socket's "
                    + "processes from /proc/PID/fd: command line, user, systemd unit or OpenRC service, container.",
            "",
            "With --from, reads listings a person pasted from a device: netstat (GNU net-tools or busybox; -a, -an, -tulpn, "
                    + "-tulpnW), ss (-tulpn, -tulpnH, -ltnpe), /proc/net/* dumps, and the socket-owners table. The format is "
                    + "recognised from the content; KIND:FILE forces it (netstat, ss, proc-net-tcp, proc-net-udp, socket-owners, "
                    + "bindv6only, ip-addr, proc-net-if_inet6, passwd). Truncated columns (netstat without -W) are reported. A line that "
                    + "could hold a listener and could not be read makes the command exit 3 (a listener may be missing), unless "
                    + "--accept-unreadable.",
            "",
            "Scope: all (every address of its family), all+ipv4 (:: that also takes IPv4), loopback (not reachable from "
                    + "outside), specific (one address; the interface that holds it is shown), link-local.",
            "",
            "A :: socket takes IPv4 too unless the input proves it v6-only (ss -e v6only:1, "
                    + "net.ipv6.bindv6only=1 from a 'sysctl net.ipv6.bindv6only' output or /proc, an IPv4 socket on the same "
                    + "port); otherwise Linux's default bindv6only=0 is assumed and the note says so. 'portaudit audit' reads "
                    + "pasted listings the same way.",
            ""
        })
public final class InventoryCommand implements Callable<Integer> {
    private static final Set<String> KINDS = Set.of(DeviceSnapshot.KIND_NETSTAT, DeviceSnapshot.KIND_SS,
            DeviceSnapshot.KIND_PROC_NET_TCP, DeviceSnapshot.KIND_PROC_NET_TCP6, DeviceSnapshot.KIND_PROC_NET_UDP,
            DeviceSnapshot.KIND_PROC_NET_UDP6, DeviceSnapshot.KIND_SOCKET_OWNERS, DeviceSnapshot.KIND_BINDV6ONLY,
            DeviceSnapshot.KIND_IP_ADDR, DeviceSnapshot.KIND_PROC_NET_IF_INET6, DeviceSnapshot.KIND_PROC_NET_FIB_TRIE, DeviceSnapshot.KIND_PROC_NET_ROUTE, DeviceSnapshot.KIND_PASSWD);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Option(names = "--from", paramLabel = "[KIND:]FILE", arity = "1..*",
            description = "Read pasted listings instead of this machine (repeatable; all files describe one device).")
    List<String> from = new ArrayList<>();

    @Option(names = "--netns", paramLabel = "all|current", defaultValue = "all",
            description = "Which network namespaces to read on this machine: all (default) or current.")
    String netns = "all";

    @Option(names = "--accept-unreadable",
            description = "Accept pasted lines that could not be read: they are still reported, but no longer make the command "
                    + "exit 3 (such a line could hold a listener).")
    boolean acceptUnreadable;

    @Option(names = "--proc", paramLabel = "DIR", hidden = true, defaultValue = "/proc",
            description = "The proc root (tests use a fake tree).")
    Path proc = Path.of("/proc");

    @Option(names = "--bench", paramLabel = "N", hidden = true,
            description = "Collect N times in-process and print the time per collection (ms) to stderr.")
    Integer bench;

    /** The wall clock of timestamps (tests fix it). */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Problems problems = new Problems();
        List<Listener> listeners;
        List<String> remarks;
        boolean incomplete = false;
        boolean manyNs;
        java.util.Map<String, String> nsNames = java.util.Map.of();
        if (!from.isEmpty()) {
            ServiceNames names = common.serviceNames(problems); // only pasted text names ports; the kernel gives numbers
            List<Capture> caps = new ArrayList<>();
            List<String> pasteNotes = new ArrayList<>();
            InputFiles files = new InputFiles("--from", k -> KINDS.contains(k) ? k : null, KINDS.stream().sorted().toList(), false);
            for (String spec : from) caps.addAll(capture(files, spec, problems, pasteNotes));
            DeviceSnapshot snap = new DeviceSnapshot("input", null, clock.instant(), caps, false, List.of());
            listeners = Inventory.fromSnapshot(snap, names, problems);
            remarks = pasteNotes;
            manyNs = listeners.stream().map(Listener::netns).distinct().count() > 1;
        } else {
            NetnsMode mode = switch (netns) {
                case "all" -> NetnsMode.ALL;
                case "current" -> NetnsMode.CURRENT;
                default -> throw new UserException(io.portaudit.model.L10n.t("cmd.inv.netns", netns));
            };
            if (bench != null && (bench < 1 || bench > 100_000)) throw new UserException(io.portaudit.model.L10n.t("cmd.range", "--bench", "1..100000", bench));
            if (bench != null) {
                long best = Long.MAX_VALUE, total = 0;
                for (int i = 0; i < bench; i++) {
                    long t0 = System.nanoTime();
                    Inventory.local(proc, mode);
                    long dt = System.nanoTime() - t0;
                    best = Math.min(best, dt);
                    total += dt;
                }
                err.println(io.portaudit.model.L10n.t("cmd.inv.bench", bench, String.format(java.util.Locale.ROOT, "%.1f", best / 1e6), String.format(java.util.Locale.ROOT, "%.1f", total / 1e6 / bench)));
            }
            Inventory.Result r = Inventory.local(proc, mode);
            listeners = r.listeners();
            remarks = r.remarks();
            problems.addAll(r.problems());
            // an unreadable fd directory hides owners; an unreadable ns link may hide a namespace (only matters for --netns all)
            incomplete = remarks.stream().anyMatch(s -> s.startsWith("cannot read") && (s.contains("/fd") || mode == NetnsMode.ALL));
            manyNs = r.namespaces().size() > 1;
            // namespaces by their ip netns or container name, not by inode
            if (proc.equals(Path.of("/proc"))) nsNames = io.portaudit.inventory.NetnsNames.labels(listeners,
                    io.portaudit.inventory.NetnsNames.ipNetns(io.portaudit.inventory.NetnsNames.IP_NETNS_DIRS), r.currentNetns());
        }
        final List<Listener> found = listeners;
        final List<String> notes = remarks;
        final boolean several = manyNs;
        final java.util.Map<String, String> nsLabels = nsNames;
        output.write(out, err, common.verbosity() < 0, "inventory", java.util.Set.of("text", "json"), (format, w) -> {
            if (format.equals("json")) w.println(InventoryOutput.jsonText(found, nsLabels, notes, problems.list()));
            else InventoryOutput.text(found, several, nsLabels, w);
        });
        if (!output.json() && common.verbosity() >= 0) {
            for (String r : remarks) err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.note", r));
        }
        if (!output.json() || common.verbosity() > 0) {
            for (ParseProblem p : problems.list()) err.println(p.format());
        }
        out.flush();
        if (problems.hasErrors() && listeners.isEmpty()) return ExitCodes.USAGE;
        if (problems.hasErrors()) {
            // a line that could hold a listener was not read (docs/ROBUSTNESS.md): the list may miss one
            long lines = problems.list().stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).count();
            if (acceptUnreadable) {
                if (common.verbosity() >= 0) err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.inv.accepted", lines));
            } else {
                err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.inv.incomplete", lines));
                incomplete = true;
            }
            err.flush();
        }
        return incomplete ? ExitCodes.INCOMPLETE : ExitCodes.OK;
    }

    private List<Capture> capture(InputFiles files, String spec, Problems problems, List<String> notes) {
        InputFiles.Input in = files.read(spec);
        String kind = in.kind();
        String file = in.source();
        InputSniffer.Labeled l = in.text();
        problems.addAll(l.decodeProblems());
        notes.addAll(l.decodeNotes());
        String text = l.text();
        java.time.Instant at = clock.instant();
        if (ConsoleLog.split(file, text).isPresent()) {
            // a console paste: the listings its prompt lines name, each read as its command says
            List<InputSniffer.Piece> pieces;
            try {
                pieces = InputSniffer.pieces(l, problems, notes);
            } catch (InputSniffer.InputException e) {
                throw new UserException(e.getMessage());
            }
            List<Capture> out = new ArrayList<>();
            for (InputSniffer.Piece p : pieces) {
                if (!InputSniffer.view(p.kind()).equals("listeners")) {
                    notes.add(io.portaudit.model.L10n.t("cmd.inv.notlisting", file, p.kind()));
                    continue;
                }
                String k = kind != null ? kind
                        : p.kind().equals("proc-net") ? InventoryFormat.detect(p.own()).orElse(DeviceSnapshot.KIND_PROC_NET_TCP) : p.kind();
                out.add(new Capture(k, file, null, p.text(), "", at, file, false));
            }
            if (out.isEmpty()) throw new UserException(io.portaudit.model.L10n.t("cmd.inv.nolisting", file));
            if (kind != null && out.size() > 1) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.inv.several", file, out.size(), kind));
            }
            return out;
        }
        if (kind == null) {
            Optional<String> k = InventoryFormat.detect(text);
            if (k.isEmpty() && InventoryFormat.isBindV6Only(text)) k = Optional.of(DeviceSnapshot.KIND_BINDV6ONLY);
            if (k.isEmpty()) throw new UserException(io.portaudit.model.L10n.t("cmd.inv.unknown", file));
            kind = k.get();
        }
        return List.of(new Capture(kind, file, null, text, "", at, file, false));
    }
}
