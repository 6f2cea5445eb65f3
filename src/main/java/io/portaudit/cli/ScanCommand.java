package io.portaudit.cli;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.scan.GrepOutput;
import io.portaudit.scan.HostReport;
import io.portaudit.scan.JsonLinesOutput;
import io.portaudit.scan.NormalOutput;
import io.portaudit.scan.PortFrequencies;
import io.portaudit.scan.PortSpec;
import io.portaudit.scan.ScanListener;
import io.portaudit.scan.ScanPlan;
import io.portaudit.scan.ScanRequest;
import io.portaudit.scan.Scanner;
import io.portaudit.scan.TargetSpec;
import io.portaudit.scan.TimingTemplate;
import io.portaudit.scan.XmlOutput;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portaudit scan}: a connect() scanner with nmap's states, syntax and output formats. */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        header = "Scan TCP and UDP ports of targets, with nmap's port states and syntax.",
        description = {
            "",
            "A connect() scanner (no raw sockets, no root needed). States and reasons as nmap -sT/-sU define them: "
                    + "open (syn-ack / udp-response), closed (conn-refused / port-unreach), filtered (no-response after "
                    + "retries, or ICMP host/net/admin-prohibited unreachable), open|filtered (UDP silence).",
            "",
            "Device-safe default (-T3): at most 64 connection attempts in flight to one host (the congestion window "
                    + "starts at 10 and grows only while the device answers), one connection per port, open connections "
                    + "closed at once with a reset, -sV probes at most 4 ports of a host at a time. UDP is paced to the "
                    + "device's ICMP rate limit.",
            ""
        },
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the scan completed", "  2  usage error (bad option, port list or target)",
            "  3  a target could not be scanned, a host timed out, or the scan was interrupted (partial output written)"})
public final class ScanCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "TARGET", arity = "0..*",
            description = "Addresses, host names, CIDR (10.77.2.0/24, fd77:2::/120), ranges (10.77.1.1-20, 10.77.1-3.2).")
    List<String> targets = new ArrayList<>();

    @Option(names = "-sT", description = "TCP connect scan (the default).")
    boolean tcpScan;

    @Option(names = "-sU", description = "UDP scan (paced to the target's ICMP rate limit).")
    boolean udpScan;

    @Option(names = "-sV", description = "Service detection: product and version, and what an anonymous client gets "
            + "(SSH algorithms, TLS certificate, X11/VNC/MQTT without authentication, SNMP community public, Modbus, DNS, NTP, CoAP).")
    boolean versionScan;

    @Option(names = "-sn", description = "Host discovery only, no port scan: which targets answer (a TCP connect to common "
            + "ports; refused counts as up). With -Pn every target is listed as up.")
    boolean pingScan;

    @Option(names = "-p", paramLabel = "PORTS", description = "Ports: 22,80,1000-2000 | T:21-25,U:53 | http,ssh | - (all).")
    String ports;

    @Option(names = "--top-ports", paramLabel = "N", description = "The N most often open ports (nmap-services when installed).")
    Integer topPorts;

    @Option(names = "-F", description = "Fast: the top 100 ports.")
    boolean fast;

    @Option(names = "--exclude-ports", paramLabel = "PORTS", description = "Ports not to scan, in -p syntax (e.g. 9100,U:5353).")
    String excludePorts;

    @Option(names = "-r", description = "Probe ports in ascending order (default: random, the most common ones first).")
    boolean sequential;

    @Option(names = "-T", paramLabel = "0-5", description = "Timing template (nmap's values; default 3).")
    Integer template;

    @Option(names = "--min-rate", paramLabel = "N", description = "Send at least N probes per second.")
    double minRate;

    @Option(names = "--max-rate", paramLabel = "N", description = "Send at most N probes per second (all hosts).")
    double maxRate;

    @Option(names = {"--max-parallelism", "-M"}, paramLabel = "N", description = "At most N probes in flight per host.")
    Integer maxParallelism;

    @Option(names = "--max-retries", paramLabel = "N", description = "Retransmissions of a silent probe (default by template).")
    Integer maxRetries;

    @Option(names = "--host-timeout", paramLabel = "TIME", description = "Give up a host after TIME (e.g. 30s, 15m).")
    String hostTimeout;

    @Option(names = "--scan-delay", paramLabel = "TIME", description = "Wait TIME between probes to one host.")
    String scanDelay;

    @Option(names = "--initial-rtt-timeout", paramLabel = "TIME", description = "Probe timeout before the first answer (default by template).")
    String initialRtt;

    @Option(names = "--min-rtt-timeout", paramLabel = "TIME", description = "Lower bound of the adaptive probe timeout (default by template).")
    String minRtt;

    @Option(names = "--max-rtt-timeout", paramLabel = "TIME", description = "Upper bound of the adaptive probe timeout (default by template).")
    String maxRtt;

    @Option(names = "-Pn", description = "Skip host discovery: treat every host as up.")
    boolean noPing;

    @Option(names = "-6", description = "IPv6: host names resolve to their IPv6 address; IPv4 targets are refused.")
    boolean ipv6Only;

    @Option(names = "-4", description = "IPv4: host names resolve to their IPv4 address; IPv6 targets are refused.")
    boolean ipv4Only;

    @Option(names = "-n", description = "No DNS: only addresses (and localhost) are accepted. portaudit never does reverse DNS.")
    boolean noDns;

    @Option(names = "-iL", paramLabel = "FILE", description = "Read targets from FILE ('-' = standard input).")
    Path inputList;

    @Option(names = "--exclude", paramLabel = "TARGETS", description = "Comma-separated targets to skip.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--excludefile", paramLabel = "FILE", description = "Targets to skip, from FILE.")
    Path excludeFile;

    @Option(names = "-oN", paramLabel = "FILE", description = "Normal output to FILE ('-' = standard output).")
    String outNormal;

    @Option(names = "-oX", paramLabel = "FILE", description = "nmap-compatible XML to FILE ('-' = standard output).")
    String outXml;

    @Option(names = "-oG", paramLabel = "FILE", description = "Grepable output to FILE.")
    String outGrep;

    @Option(names = "-oA", paramLabel = "BASE", description = "BASE.nmap, BASE.xml and BASE.gnmap.")
    String outAll;

    @Option(names = "--json", description = "JSON lines on standard output (one object per port, host, summary).")
    boolean json;

    @Option(names = "--open", description = "Show only open ports.")
    boolean openOnly;

    @Option(names = "--reason", description = "Show why each port has its state.")
    boolean reason;

    @Option(names = "--stats-every", paramLabel = "TIME", description = "Progress line on standard error every TIME (default 5s; only on a terminal).")
    String statsEvery;

    @Option(names = "--version-timeout", paramLabel = "TIME", description = "Per-port bound of -sV (default 5s).")
    String versionTimeout;

    @Option(names = "--hostgroup", paramLabel = "N", description = "Hosts scanned in parallel (default 32).")
    Integer hostGroup;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** The wall clock of timestamps (tests fix it). */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        Problems problems = new Problems();
        ServiceNames names = common.serviceNames(problems);
        List<String> all = new ArrayList<>(targets);
        if (inputList != null) all.addAll(TargetSpec.readList(readText(inputList)));
        List<String> excl = new ArrayList<>();
        for (String e : exclude) excl.addAll(List.of(e.split(",")));
        if (excludeFile != null) excl.addAll(TargetSpec.readList(readText(excludeFile)));
        if (ipv4Only && ipv6Only) throw new UserException(io.portaudit.model.L10n.t("cmd.oneof", "-4, -6"));
        // targets, ports, timing: checked and built by scan.ScanPlan (audit --scan builds its request there too)
        ScanPlan plan;
        try {
            plan = ScanPlan.builder().targets(all).excludes(excl).noDns(noDns)
                    .only(ipv6Only ? AddressFamily.IPV6 : ipv4Only ? AddressFamily.IPV4 : null)
                    .ports(ports).topPorts(topPorts).fast(fast).excludePorts(excludePorts)
                    .tcp(tcpScan).udp(udpScan).pingOnly(pingScan).serviceDetection(versionScan).skipDiscovery(noPing).sequential(sequential)
                    .template(template).maxRetries(maxRetries).maxParallelism(maxParallelism).scanDelay(scanDelay).hostTimeout(hostTimeout)
                    .rttTimeouts(initialRtt, minRtt, maxRtt).rates(minRate, maxRate).hostGroup(hostGroup).versionTimeout(versionTimeout)
                    .build(names);
        } catch (ScanPlan.InvalidScan e) {
            throw new UserException(e.getMessage(), e.incomplete() ? ExitCodes.INCOMPLETE : ExitCodes.USAGE);
        }
        for (ParseProblem p : plan.problems()) System.err.println("portaudit: " + p.format());
        boolean targetProblem = plan.targetProblem();
        ScanRequest req = plan.request();
        // outputs
        List<ScanListener> outs = new ArrayList<>();
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        boolean stdoutTaken = false;
        if (outAll != null) {
            outs.add(new NormalOutput(file(Path.of(outAll + ".nmap")), reason, openOnly, true).withVersions(versionScan));
            outs.add(XmlOutput.toFile(Path.of(outAll + ".xml")).openOnly(openOnly));
            outs.add(new GrepOutput(file(Path.of(outAll + ".gnmap"))));
        }
        if (outNormal != null) {
            boolean std = outNormal.equals("-");
            stdoutTaken |= std;
            outs.add(new NormalOutput(std ? stdout : file(Path.of(outNormal)), reason, openOnly, !std).withVersions(versionScan));
        }
        if (outXml != null) {
            if (outXml.equals("-")) {
                stdoutTaken = true;
                outs.add(XmlOutput.toStream(stdout).openOnly(openOnly));
            } else outs.add(XmlOutput.toFile(Path.of(outXml)).openOnly(openOnly));
        }
        if (outGrep != null) {
            boolean std = outGrep.equals("-");
            stdoutTaken |= std;
            outs.add(new GrepOutput(std ? stdout : file(Path.of(outGrep))));
        }
        if (json) {
            stdoutTaken = true;
            outs.add(new JsonLinesOutput(stdout, openOnly));
        }
        if (!stdoutTaken) outs.add(new NormalOutput(stdout, reason, openOnly, false).withVersions(versionScan));

        Scanner scanner = new Scanner().withClock(clock);
        installSignalHandlers(scanner);
        Progress progress = new Progress(req, statsEvery == null ? Duration.ofSeconds(5) : duration(statsEvery, "--stats-every"));
        outs.add(progress);
        // a host's report and the summary print with the progress line erased and held off
        ScanListener fan = progress.guarding(fanOut(outs));
        long start = clock.millis();
        String args = "portaudit scan " + String.join(" ", originalArgs());
        fan.started(new ScanListener.ScanInfo(args, start, req.tcpPorts(), req.udpPorts(), version()));
        progress.startThread();
        Scanner.Outcome outcome;
        try {
            outcome = scanner.run(req, fan);
        } finally {
            progress.stopThread();
        }
        long end = clock.millis();
        if (common.verbosity() > 0 && !outcome.socketLayer().isEmpty()) {
            System.err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.scan.probes", outcome.probes(), outcome.socketLayer()));
        }
        boolean partial = !outcome.complete() || targetProblem;
        String why = outcome.stopped() ? "interrupted" : outcome.hostsTimedOut() > 0 ? "host timeout"
                : outcome.hostsUnscannable() > 0 ? "a target could not be reached (every probe failed locally)"
                : targetProblem ? "a target could not be resolved" : "";
        fan.finished(new ScanListener.ScanSummary(end, (end - start) / 1000.0, outcome.hostsUp(), outcome.hostsDown(), partial, why));
        stdout.flush();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.scan.closing", e.getMessage()));
            }
        }
        return partial ? ExitCodes.INCOMPLETE : ExitCodes.OK;
    }

    private static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    private static List<String> originalArgs() {
        String cmd = ProcessHandle.current().info().arguments().map(a -> String.join(" ", a)).orElse("");
        int i = cmd.indexOf(" scan ");
        return i >= 0 ? List.of(cmd.substring(i + 6)) : List.of();
    }

    private PrintWriter file(Path p) throws IOException {
        PrintWriter w;
        try {
            w = new PrintWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.cannotwrite", p, io.portaudit.model.IoErrors.reason(e)));
        }
        closeables.add(w);
        return w;
    }

    private static String readText(Path p) throws IOException {
        try {
            // target lists: 16 MiB is a million addresses
            return new String(io.portaudit.model.BoundedRead.read(p.toString(), 16 << 20, io.portaudit.model.BoundedRead.MAX_LINE_BYTES),
                    StandardCharsets.UTF_8);
        } catch (io.portaudit.model.BoundedRead.TooLarge e) {
            throw new UserException(p + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.cannotread", p, e.getMessage()));
        }
    }

    /** {@code --stats-every}: nmap's time syntax, read by {@link ScanPlan#duration}. */
    static Duration duration(String s, String what) {
        try {
            return ScanPlan.duration(s, what);
        } catch (ScanPlan.InvalidScan e) {
            throw new UserException(e.getMessage());
        }
    }

    private static void installSignalHandlers(Scanner scanner) {
        try {
            for (String sig : List.of("INT", "TERM")) {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> scanner.stop());
            }
        } catch (IllegalArgumentException | LinkageError e) {
            // no signal support: the JVM's default handling applies
        }
    }

    static ScanListener fanOut(List<ScanListener> list) {
        return new ScanListener() {
            public void started(ScanInfo i) { list.forEach(l -> l.started(i)); }

            public void port(PortResult r) { list.forEach(l -> l.port(r)); }

            public void host(HostReport h) { list.forEach(l -> l.host(h)); }

            public void finished(ScanSummary s) { list.forEach(l -> l.finished(s)); }
        };
    }

    /** The progress line with ETA, on standard error, only when it is a terminal. */
    static final class Progress implements ScanListener {
        private final long total;
        private final Duration every;
        private final AtomicLong done = new AtomicLong();
        private final boolean terminal;
        private final java.io.PrintStream err;
        private volatile boolean running;
        private Thread thread;
        private long startNanos;
        private String lastEta = "";

        Progress(ScanRequest req, Duration every) {
            this(req, every, System.err, System.console() != null);
        }

        Progress(ScanRequest req, Duration every, java.io.PrintStream err, boolean terminal) {
            this(req.targets().size().min(java.math.BigInteger.valueOf(Long.MAX_VALUE / 200_000)).longValue()
                    * (req.tcpPorts().size() + req.udpPorts().size()), every, err, terminal);
        }

        /** {@code total} probes; the line goes to {@code err}, drawn only when {@code terminal}. */
        Progress(long total, Duration every, java.io.PrintStream err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
            this.total = total;
            this.every = every;
        }

        /** Whether a progress line is on the terminal now (guarded by this). */
        private boolean shown;
        private int shownLength;

        @Override
        public void port(PortResult r) {
            done.incrementAndGet();
        }

        /**
         * {@code outputs} with the progress line erased before a host's report or the summary is printed, and no
         * progress line drawn while it is: what they print starts at the beginning of a line of its own.
         */
        ScanListener guarding(ScanListener outputs) {
            Progress self = this;
            return new ScanListener() {
                public void started(ScanInfo info) { outputs.started(info); }

                public void port(PortResult r) { outputs.port(r); }

                public void host(HostReport h) {
                    synchronized (self) {
                        erase();
                        outputs.host(h);
                    }
                }

                public void finished(ScanSummary s) {
                    stopThread();
                    outputs.finished(s);
                }
            };
        }

        private synchronized void show(String line) {
            if (!running) return;
            err.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
            err.flush();
            shown = true;
            shownLength = line.length();
        }

        /** Erases the progress line, if one is shown, so that what follows starts at the line's beginning. */
        synchronized void erase() {
            if (!shown) return;
            err.print("\r" + " ".repeat(shownLength) + "\r");
            err.flush();
            shown = false;
        }

        void startThread() {
            startNanos = System.nanoTime();
            // the progress thread writes in the language of the run that started it (the language is per thread)
            io.portaudit.model.L10n.Lang lang = io.portaudit.model.L10n.lang();
            if (!terminal || every.isZero() || every.isNegative()) return;
            running = true;
            thread = Thread.ofPlatform().daemon().name("scan-progress").start(() -> {
                while (running) {
                    try {
                        Thread.sleep(every.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!running) return;
                    long d = done.get();
                    double el = (System.nanoTime() - startNanos) / 1e9;
                    double pct = total == 0 ? 0 : 100.0 * d / total;
                    String eta = d == 0 ? "?" : String.format(Locale.ROOT, "%.0fs", el * (total - d) / d);
                    // the ETA is only printed when it moved enough to matter (nmap's rule of thumb)
                    String line = io.portaudit.model.L10n.t(lang, "cmd.scan.stats", String.format(Locale.ROOT, "%.0f", el), d + "/" + total,
                            String.format(Locale.ROOT, "%.1f", pct), eta.equals(lastEta) ? lastEta : eta);
                    lastEta = eta;
                    show(line);
                }
            });
        }

        void stopThread() {
            synchronized (this) {
                running = false;   // no line is shown after this
            }
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            erase();
        }
    }
}
