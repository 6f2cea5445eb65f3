package io.portaudit.cli;

import io.portaudit.audit.AuditProgress;
import io.portaudit.audit.AuditRequest;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.AuditRun;
import io.portaudit.audit.InputSniffer;
import io.portaudit.audit.FixScript;
import io.portaudit.audit.Policy;
import io.portaudit.audit.PolicyLoader;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import io.portaudit.model.L10n;
import io.portaudit.report.Reports;
import io.portaudit.store.Coverage;
import io.portaudit.store.DeviceIdentity;
import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit audit}: all views of one device, correlated into findings and gated by a policy. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Audit a device: firewall rules, listening programs and reachability, port by port.",
        description = {
            "",
            "Without input options, audits this machine from its own tables: the listening sockets and their processes "
                    + "(from /proc), and the firewall rules (iptables-save, ip6tables-save, nft), whichever tools exist. "
                    + "No self-scan is made: a scan of one's own address travels over lo and says nothing about what a "
                    + "remote host can reach.",
            "",
            "With --input, audits outputs pasted from a device instead; each file's kind is sniffed from its content "
                    + "(iptables -L/-S/-save, ip6tables, nft, nft -j, netstat, busybox netstat, ss, /proc/net/*, nmap -oN/-oX, "
                    + "portaudit scan JSON, a sysctl net.ipv6.bindv6only output); force it with KIND:FILE. A file may be a console "
                    + "paste: prompt lines ([armadillo ~]# iptables -L, root@armadillo:~# netstat -a, $ ss -tulpn, ~ # ...) split it, "
                    + "each command's output is read as its command says, and boot messages, kernel lines and other commands' output "
                    + "are skipped and named in one note. CRLF/CR line ends, a byte-order mark, Unicode spaces and Shift_JIS/EUC-JP "
                    + "text are read as the clean capture; an empty ip6tables-save means no IPv6 rule is loaded. A file from which "
                    + "nothing could be read (e.g. an iptables-save output given as netstat:FILE) is an input error (exit 2) naming "
                    + "the file and the kind tried.",
            "",
            "Every input line is read, knowingly ignored (headers, blank lines, known noise) or reported with its file, line "
                    + "and column. A line that could hold a rule, a listener or a scanned port and could not be read makes the "
                    + "ports it could touch possibly open and the audit incomplete: exit 3, unless --accept-unreadable or a "
                    + "policy exception for unparsed-input accepts it (docs/ROBUSTNESS.md).",
            "",
            "A previous result (audit --json, schema portaudit-audit) given as the only --input is read back and rendered "
                    + "in any format, as it was gated; written again as JSON it is the same document (docs/FORMATS.md).",
            "",
            "Dual-stack assumption: a socket bound to :: (netstat [::]:23 or :::23, tcp6) also takes IPv4 unless the input "
                    + "proves it v6-only: ss -e showing v6only:1 (ss's * for a :: socket is read as dual-stack; its [::] alone proves nothing, older ss print it for both), "
                    + "net.ipv6.bindv6only=1 (a 'sysctl net.ipv6.bindv6only' output given as input, or /proc on the device), or an "
                    + "IPv4 socket on the same port (Linux refuses a 0.0.0.0 bind next to a dual-stack ::). Linux's default is "
                    + "bindv6only=0; the listener's evidence says which reading was made. 'portaudit inventory --from' reads the same way.",
            "",
            "Checks whose view is missing are not checked, never passed: weak-tls and weak-ssh-crypto need this audit's "
                    + "scan (-sV; a pasted nmap output does not carry it), blocked-listener and wildcard-bind need firewall and "
                    + "listeners, and so on; the reports list them as skipped (text 'not checked', JUnit <skipped/>, "
                    + "SARIF notifications).",
            "",
            "Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or input error, 3 incomplete (collection or scan "
                    + "partial, or input lines not read).",
            ""
        })
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Mixin
    RemoteOptions remote;

    @Mixin
    StoreOptions store;

    @Option(names = "--baseline", paramLabel = "MODEL",
            description = "Compare with the golden unit's audit set by 'portaudit baseline set MODEL AUDIT': a baseline-deviation finding "
                    + "for every port, program or weakness that differs (ports either audit did not cover are not compared).")
    String baseline;

    @Option(names = "--since", paramLabel = "AUDIT",
            description = "Add a section 'changed since the previous audit' to every report (text, json: changedSince, markdown, "
                    + "html, junit: a changed-since suite): what changed from AUDIT to this audit, as 'portaudit diff AUDIT' shows it. "
                    + "AUDIT is a stored audit (DEVICE@latest, DEVICE@-N, DEVICE@YYYY-MM-DD, an id; read before this audit is "
                    + "recorded, so DEVICE@latest is the one before it) or a portaudit JSON or scan output file. The exit code "
                    + "stays the gate's.")
    String since;

    @Option(names = "--diff-previous",
            description = "Like --since, with the latest stored audit of the same device (known by its hardware or --device); "
                    + "on a device's first audit there is none: a note says so and the reports have no such section.")
    boolean diffPrevious;

    @Option(names = "--device", paramLabel = "NAME",
            description = "Name the device in the history store. A device is known by its hardware (serial, /etc/machine-id, MAC of "
                    + "its first physical interface) when the source collects them; pasted --input files carry no identity: without "
                    + "--device each such audit is its own device, keyed by its content hash.")
    String device;

    @Option(names = "--input", paramLabel = "[KIND:]FILE", arity = "1..*",
            description = "Audit outputs pasted from a device (repeatable). KIND forces the format, e.g. iptables-L:fw.txt. "
                    + "KIND@ADDRESS:FILE (or @ADDRESS:FILE; KIND netstat, ss or proc-net; an IPv6 ADDRESS in brackets) gives the "
                    + "socket listing of a container's network namespace holding ADDRESS: a port the device DNATs to ADDRESS is "
                    + "correlated with it, e.g. ss@10.88.0.2:container-ss.txt.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--scan", paramLabel = "TARGET",
            description = "Also scan the device at TARGET from here (TCP: the 1,000 most common ports plus every port the other "
                    + "views name; UDP: the ports the views name), with the scanner's device-safe defaults and -sV. "
                    + "--ssh HOST scans HOST unless --no-scan. TARGET must name one address: an unresolvable name, a range or a bad "
                    + "address is an input error (exit 2).")
    String scanTarget;

    @Option(names = "--scan-ports", paramLabel = "PORTS", description = "Ports for the audit's scan, in nmap syntax (e.g. T:1-65535,U:53).")
    String scanPorts;

    @Option(names = "--no-probe",
            description = "Auditing this machine: do not identify its own listeners' services over loopback. By default a local "
                    + "audit runs -sV's service identification against them through 127.0.0.1 and ::1 only (never another "
                    + "address; at most 20 s) so that SNMP public, an open X server, weak SSH algorithms or a weak TLS certificate "
                    + "are found; reachability still comes from the firewall and the listeners.")
    boolean noProbe;

    @Option(names = "--policy", paramLabel = "FILE", description = "A YAML policy: which ports may be exposed, what fails the run (docs/POLICY.md).")
    Path policyFile;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "A built-in policy: armadillo-iot-g3, armadillo-iot-g3l, armadillo-x1, armadillo-iot-g2, armadillo-440, "
                    + "armadillo-840 (factory defaults from the seed's table), production-minimal.")
    String profile;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 1 when a finding at or above this severity fails the gate: info, low, medium, high, critical "
                    + "(default: the policy's, else high).")
    String failOn;

    @Option(names = "--operator", paramLabel = "NAME",
            description = "Who ran the audit, for the sign-off block of the HTML and Markdown reports.")
    String operator;

    @Option(names = "--note", paramLabel = "TEXT",
            description = "A free note for the sign-off block of the HTML and Markdown reports (e.g. the lot or the ticket).")
    String note;

    @Option(names = "--fix-script", paramLabel = "FILE",
            description = "Write a reviewable busybox-sh script that closes, in the board's own firewall backend (iptables legacy, "
                    + "iptables-nft or nftables, as collected), every port whose finding fails the gate. It checks the whole change "
                    + "first (iptables-restore --test / nft -c) and applies nothing if that fails; keeps loopback, established "
                    + "traffic and ICMPv6 working; running it twice changes nothing. portaudit never runs it (docs/FINDINGS.md).")
    Path fixScript;

    @Option(names = "--accept-unreadable",
            description = "Accept input lines that could not be read (the unparsed-input finding): the report names them and "
                    + "the ports they leave unknown, but they no longer make the audit incomplete (exit 3). Without it, an "
                    + "unreadable line that could hold a rule, a listener or a scanned port makes the audit exit 3.")
    boolean acceptUnreadable;

    Clock clock = Clock.systemUTC();

    /** Where this run records its result; null: nowhere. */
    private io.portaudit.store.StoreLocation storeAt;

    private static final java.util.Set<String> FORMATS = java.util.Set.of("text", "json", "html", "sarif", "junit", "markdown", "md");

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Problems nameProblems = new Problems();
        ServiceNames names = common.serviceNames(nameProblems);
        Policy policy = policy();
        Severity threshold = null;
        if (failOn != null) {
            try {
                threshold = Severity.parse(failOn);
            } catch (IllegalArgumentException e) {
                throw new UserException(L10n.t("cli.failon", failOn));
            }
        }
        for (OutputOptions.Target t : output.targets()) {
            if (!FORMATS.contains(t.format())) {
                throw new UserException(L10n.t("cli.format", t.format(), String.join(", ", Reports.FORMATS)));
            }
        }
        storeAt = store.location();
        if (since != null && diffPrevious) throw new UserException(L10n.t("cli.sinceboth"));
        // a stored reference is resolved now: before this audit is recorded (DEVICE@latest is the one before), and a
        // wrong one is a usage error before any collection or scan
        DiffCommand.Side sinceSide = since == null ? null : sinceSide(err);
        if (!inputs.isEmpty() && remote.isRemote()) throw new UserException(L10n.t("cli.inputremote"));
        AuditRequest.Source source;
        if (!inputs.isEmpty()) {
            List<InputSniffer.Labeled> texts = InputFiles.texts(inputs);
            boolean previous = texts.stream().anyMatch(InputSniffer::isPreviousResult);
            if (previous && fixScript != null) {
                throw new UserException(L10n.t("cli.fixprevious"));
            }
            if (previous) storeAt = null;   // a re-rendered result is not a new audit (store import records results)
            source = new AuditRequest.Pasted(texts);
        } else {
            source = remote.source().orElse(new AuditRequest.ThisMachine(!noProbe));
        }
        if (noProbe && !(source instanceof AuditRequest.ThisMachine)) {
            throw new UserException(L10n.t("jf.audit.noprobe"));
        }
        String target = scanTarget != null ? scanTarget : remote.scanTarget().orElse(null);
        if (target == null && scanPorts != null) throw new UserException(L10n.t("cli.scanports"));
        boolean quiet = common.verbosity() < 0;
        AuditProgress progress = new AuditProgress() {
            @Override
            public void collected(DeviceSnapshot snapshot) {
                RemoteOptions.reportPartial(snapshot, err);
            }

            @Override
            public void probing(int listeners) {
                if (!quiet) err.println("portaudit: " + L10n.t("cli.probing", listeners));
                err.flush();
            }

            @Override
            public void scanning(String t, int tcp, int udp) {
                if (!quiet) err.println("portaudit: " + L10n.t("cli.scanning", t, tcp, udp));
                err.flush();
            }
        };
        auditSource = source;
        AuditRequest request = new AuditRequest(source, target == null ? null : new AuditRequest.Scan(target, scanPorts), policy,
                threshold, names, clock, progress, acceptUnreadable);
        AuditResult result;
        try {
            result = AuditRun.run(request);
        } catch (AuditRun.AuditException e) {
            throw new UserException(e.getMessage(),
                    e.kind() == AuditRun.AuditException.Kind.UNREACHABLE ? ExitCodes.INCOMPLETE : ExitCodes.USAGE);
        }
        if (baseline != null) result = againstBaseline(result);
        io.portaudit.store.Diff changed = null;
        if (sinceSide != null) changed = changedSince(sinceSide, result);
        if (diffPrevious) {
            DiffCommand.Side previous = previousOf(result, err);
            if (previous != null) changed = changedSince(previous, result);
            else if (common.verbosity() >= 0) err.println("portaudit: " + L10n.t("cli.noprevious"));
        }
        return render(result, changed, err);
    }

    /** --since AUDIT: a file, or an audit in the store (resolved before this audit is recorded). */
    private DiffCommand.Side sinceSide(PrintWriter err) throws IOException {
        if (Files.isRegularFile(Path.of(since))) return DiffCommand.file(Path.of(since), common, clock);
        io.portaudit.store.StoreLocation at = storeAt != null ? storeAt : store.location();
        if (at == null) throw new UserException(L10n.t("cli.sincestore", since));
        try (Store s = store.openExisting(err)) {
            return DiffCommand.stored(s, since, s.resolve(since));
        } catch (StoreException e) {
            throw new UserException("--since " + since + ": " + e.getMessage(), e.exitCode());
        }
    }

    /** --diff-previous: the latest stored audit of this audit's device, or null when there is none. */
    private DiffCommand.Side previousOf(AuditResult result, PrintWriter err) {
        io.portaudit.store.StoreLocation at = storeAt != null ? storeAt : store.location();
        if (at == null) throw new UserException(L10n.t("cli.prevstore"));
        if (at.file() != null && !Files.exists(at.file())) return null;
        DeviceIdentity id = DeviceIdentity.of(result.snapshot());
        if (device != null) id = id.withName(device);
        try (Store s = StoreOptions.open(at, err, true)) {
            Long previous = s.latestAuditOf(id);
            return previous == null ? null : DiffCommand.stored(s, L10n.t("jf.diff.previous"), previous);
        } catch (StoreException e) {
            throw new UserException("--diff-previous: " + e.getMessage(), e.exitCode());
        }
    }

    /** What changed from {@code from} to this audit, as {@code portaudit diff} computes it. */
    private static io.portaudit.store.Diff changedSince(DiffCommand.Side from, AuditResult result) throws IOException {
        var mine = io.portaudit.store.Facts.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(io.portaudit.audit.AuditJson.write(result)),
                Coverage.of(result));
        return io.portaudit.store.Diff.of(from.label(), from.facts(), "this audit", mine);
    }

    /** --baseline MODEL: the golden unit's audit from the store, a baseline-deviation finding per differing port. */
    private AuditResult againstBaseline(AuditResult result) throws IOException {
        io.portaudit.store.StoreLocation at = storeAt != null ? storeAt : store.location();
        if (at == null) throw new UserException(L10n.t("cli.baselinestore"));
        try (Store s = Store.open(at)) {
            long golden = s.baseline(baseline);
            var mine = io.portaudit.store.Facts.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(io.portaudit.audit.AuditJson.write(result)),
                    Coverage.of(result));
            var diff = io.portaudit.store.Diff.of("audit " + golden, s.facts(golden), "this audit", mine);
            // the deviations' texts language-neutral like the audit's, so a stored result reads in either language
            return io.portaudit.audit.Localized.map(result, r -> io.portaudit.store.Baseline.apply(r,
                    io.portaudit.store.Baseline.deviations(baseline, String.valueOf(golden), diff), java.time.LocalDate.now(clock)));
        } catch (StoreException e) {
            throw new UserException("--baseline " + baseline + ": " + e.getMessage(), e.exitCode());
        }
    }

    private int render(AuditResult result, io.portaudit.store.Diff changed, PrintWriter err) throws IOException {
        boolean color = common.useColor();
        PrintWriter stdout = spec.commandLine().getOut();
        // -q shortens what goes to the terminal; a report written to a file is whole
        output.write(stdout, err, common.verbosity() < 0, "audit", FORMATS,
                (format, w) -> io.portaudit.report.SinceSection.write(format, result, changed, w, format.equals("text") && color,
                        w == stdout ? common.verbosity() : Math.max(0, common.verbosity()), new io.portaudit.report.SignOff(operator, note)));
        if (fixScript != null) {
            try {
                Files.writeString(fixScript, FixScript.render(result), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserException(L10n.t("jf.audit.fixscript", fixScript, io.portaudit.model.IoErrors.reason(e)));
            }
            if (common.verbosity() >= 0) err.println("portaudit: " + L10n.t("cli.wrotefix", fixScript));
        }
        int stored = record(result, auditSource, storeAt, err);
        return stored != 0 ? stored : result.exitCode();
    }

    /**
     * Records the result in the history store, after every report is written: a store that cannot be used costs the
     * record, never the report. Returns 0, or the store's exit code (2 cannot open / newer schema, 3 locked / disk full).
     */
    /** What the audit read (its pasted texts are recorded with it as raw captures). */
    private AuditRequest.Source auditSource;

    private int record(AuditResult result, AuditRequest.Source source, io.portaudit.store.StoreLocation at, PrintWriter err) {
        if (at == null) return 0;
        try {
            // written as a stream into its hash and its gzip: the document's text is never held whole
            Store.Document doc = Store.Document.write(w -> io.portaudit.audit.AuditJson.write(result, w));
            DeviceIdentity id = DeviceIdentity.of(result.snapshot());
            if (device != null) id = id.withName(device);
            try (Store s = StoreOptions.open(at, err, common.verbosity() < 0)) {
                Store.Recorded r = s.record(doc, Coverage.of(result), id, clock.instant(), io.portaudit.store.Captures.of(result, source), null);
                if (common.verbosity() > 0) {
                    err.println("portaudit: " + L10n.t(r.stored() ? "cli.recorded" : "cli.already", r.auditId(), r.deviceKey(), at.display()));
                } else if (common.verbosity() == 0 && r.deviceKey().startsWith("content:")) {
                    err.println("portaudit: " + L10n.t("cli.unnamed", r.auditId(), r.deviceKey()));
                }
            }
            return 0;
        } catch (StoreException e) {
            err.println("portaudit: " + L10n.t("cli.notrecorded", e.getMessage()));
            return e.exitCode();
        }
    }

    /** The policy given (file or profile), or null when none was. */
    private Policy policy() {
        if (policyFile != null && profile != null) throw new UserException(L10n.t("cli.policyboth"));
        try {
            if (policyFile != null) return PolicyLoader.load(policyFile);
            if (profile != null) return PolicyLoader.profile(profile);
        } catch (PolicyLoader.PolicyException e) {
            throw new UserException(e.getMessage());
        }
        return null;
    }
}
