package io.portaudit.audit;

import io.portaudit.collect.Bundle;
import io.portaudit.collect.BundleException;
import io.portaudit.collect.CollectException;
import io.portaudit.collect.CommandRunner;
import io.portaudit.collect.LocalCollector;
import io.portaudit.collect.SshCollector;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.L10n;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Listener;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import io.portaudit.model.Verdict;
import io.portaudit.scan.PortFrequencies;
import io.portaudit.scan.PortSpec;
import io.portaudit.scan.ScanPlan;
import io.portaudit.scan.Scanner;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one audit: collects (or reads) the device's facts, scans it when asked, correlates and gates. The one way to
 * get an {@link AuditResult}; the CLI only parses its options into an {@link AuditRequest} and renders the result.
 */
public final class AuditRun {
    /** UDP is slow (the device's ICMP rate limit decides): only the ports the views name, at most this many. */
    static final int MAX_UDP_PORTS = 256;

    private AuditRun() {}

    /** Why an audit could not run: bad input or options (exit 2), or a device that could not be reached (exit 3). */
    public static final class AuditException extends Exception {
        public enum Kind { INPUT, UNREACHABLE }

        private final Kind kind;

        public AuditException(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    public static AuditResult run(AuditRequest req) throws AuditException {
        AuditRequest.Source source = req.source();
        if (source instanceof AuditRequest.Pasted p) {
            try {
                Optional<AuditResult> previous = InputSniffer.previousResult(p.texts());
                if (previous.isPresent()) return previous(req, previous.get());
            } catch (InputSniffer.InputException e) {
                throw new AuditException(AuditException.Kind.INPUT, e.getMessage());
            }
        }
        if (source instanceof AuditRequest.Previous prev) {
            try {
                return previous(req, AuditJson.read(prev.json()));
            } catch (AuditJson.AuditJsonException e) {
                throw new AuditException(AuditException.Kind.INPUT, prev.name() + ": " + e.getMessage());
            }
        }
        AuditInput in = input(req);
        if (req.source() instanceof AuditRequest.ThisMachine m && m.loopbackProbe() && in.listeners() != null) {
            req.progress().probing(in.listeners().size());
            AuditInput listed = in;
            // its notes language-neutral like the audit's (a stored result reads in either language)
            in = in.withProbe(neutral(() -> LoopbackProbe.probe(listed.listeners(), req.names(), req.clock(), LoopbackProbe.BUDGET)));
        }
        if (req.scan() != null) {
            if (in.scan() != null) throw new AuditException(AuditException.Kind.INPUT, "--scan cannot be combined with a pasted scan in --input");
            in = in.withScan(scan(req, in));
        }
        AuditInput parsed = in;
        // the findings' texts language-neutral, then written in the audit's language (a stored result can be shown in the other)
        L10n.Lang lang = L10n.lang();
        return Localized.render(neutral(() -> Auditor.audit(parsed, req.policy() == null ? Policy.none() : req.policy(), req.failOn(),
                req.names(), req.clock(), req.acceptUnreadable())), lang);
    }

    /** {@code work} with its messages language-neutral (see {@link L10n#neutral}); an error's message in this thread's language. */
    private static <T> T neutral(java.util.concurrent.Callable<T> work) throws AuditException {
        L10n.Lang lang = L10n.lang();
        try {
            return L10n.neutral(work);
        } catch (InputSniffer.InputException e) {
            throw new AuditException(AuditException.Kind.INPUT, L10n.render(e.getMessage(), lang));
        } catch (AuditException e) {
            throw new AuditException(e.kind(), L10n.render(e.getMessage(), lang));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuditResult previous(AuditRequest req, AuditResult result) throws AuditException {
        if (req.scan() != null || req.policy() != null || req.failOn() != null || req.acceptUnreadable()) {
            throw new AuditException(AuditException.Kind.INPUT, "a previous audit result is rendered as it was recorded: "
                    + "a scan, a policy or profile, a fail threshold or --accept-unreadable need the device's outputs, not a result");
        }
        return result;
    }

    private static AuditInput input(AuditRequest req) throws AuditException {
        if (req.source() instanceof AuditRequest.Pasted p) {
            return neutral(() -> InputSniffer.read(p.texts(), req.names(), req.clock()));
        }
        if (req.source() instanceof AuditRequest.ScanOnly) {
            if (req.scan() == null) throw new AuditException(AuditException.Kind.INPUT, "a scan-only audit needs a scan target");
            DeviceSnapshot snap = new DeviceSnapshot("scan-only", req.scan().target(), req.clock().instant(), List.of(), false, List.of());
            return new AuditInput(snap, null, null, null, List.of(), List.of(neutral(() -> L10n.t("note.scanonly"))));
        }
        DeviceSnapshot snap = collect(req.source(), req.progress(), req.clock());
        return neutral(() -> ViewBuilder.fromSnapshot(snap, req.names(), null));
    }

    /**
     * Collects the device's raw texts from this machine, an SSH target or a bundle (the first step of a run, alone:
     * a fleet worker may keep the snapshot). A partial snapshot is returned and told to {@code progress}.
     */
    public static DeviceSnapshot collect(AuditRequest.Source source, AuditProgress progress) throws AuditException {
        return collect(source, progress, Clock.systemUTC());
    }

    /** {@link #collect(AuditRequest.Source, AuditProgress)} with the clock that stamps a local collection. */
    public static DeviceSnapshot collect(AuditRequest.Source source, AuditProgress progress, Clock clock) throws AuditException {
        DeviceSnapshot snap;
        switch (source) {
            case AuditRequest.BundleFile b -> {
                try {
                    snap = Bundle.read(b.file());
                } catch (NoSuchFileException e) {
                    throw new AuditException(AuditException.Kind.INPUT, "--bundle " + b.file() + ": no such file");
                } catch (IOException e) {
                    throw new AuditException(AuditException.Kind.INPUT, "--bundle " + b.file() + ": cannot read: " + io.portaudit.model.IoErrors.reason(e));
                } catch (BundleException e) {
                    throw new AuditException(AuditException.Kind.INPUT, e.getMessage());
                }
            }
            case AuditRequest.Ssh s -> {
                // a known_hosts file that cannot be used is the user's input, not the device's fault
                String khProblem = SshCollector.knownHostsProblem(s.options());
                if (khProblem != null) throw new AuditException(AuditException.Kind.INPUT, khProblem);
                try {
                    snap = SshCollector.collect(s.target(), s.options());
                } catch (CollectException e) {
                    throw new AuditException(AuditException.Kind.UNREACHABLE, e.getMessage());
                }
            }
            case AuditRequest.ThisMachine m -> snap = new LocalCollector(clock, new CommandRunner(clock), Path.of("/proc")).collect();
            case AuditRequest.Pasted p -> throw new IllegalArgumentException("pasted outputs are read, not collected");
            case AuditRequest.Previous p -> throw new IllegalArgumentException("a previous result is read, not collected");
            case AuditRequest.ScanOnly s -> throw new IllegalArgumentException("a scan-only audit collects nothing");
        }
        (progress == null ? AuditProgress.NONE : progress).collected(snap);
        return snap;
    }

    private static ScanFacts scan(AuditRequest req, AuditInput in) throws AuditException {
        String target = req.scan().target();
        PortSpec ports;
        if (req.scan().ports() != null) {
            ports = PortSpec.parse(req.scan().ports(), req.names());
            if (!ports.ok()) throw new AuditException(AuditException.Kind.INPUT, "--scan-ports: " + ports.problems().get(0).message());
        } else {
            ports = ports(in);
        }
        ScanPlan plan;
        try {
            plan = ScanPlan.device(target, ports, req.names(), req.scan().timing(), req.scan().hostTimeout());
        } catch (ScanPlan.InvalidScan e) {
            throw new AuditException(AuditException.Kind.INPUT, e.getMessage());
        }
        req.progress().scanning(target, plan.request().tcp() ? ports.tcp().size() : 0, plan.request().udp() ? ports.udp().size() : 0);
        List<PortResult> results = new ArrayList<>();
        Scanner.Outcome outcome = new Scanner().withClock(req.clock()).run(plan.request(), (PortResult r) -> {
            synchronized (results) {
                results.add(r);
            }
            req.progress().scanned(r);
        });
        String address = plan.firstAddress().getHostAddress();
        int pct = address.indexOf('%');
        if (pct > 0 && results.isEmpty()) address = address.substring(0, pct);
        if (!results.isEmpty()) address = results.get(0).address();
        return ScanAdapter.fromLive(address, results, !outcome.complete(), plan.request().serviceDetection());
    }

    /** The audit's scan ports: the 1,000 most common TCP ports plus every port the views name; UDP only those. */
    static PortSpec ports(AuditInput in) {
        PortSet tcp = PortFrequencies.load().top(Protocol.TCP, 1000);
        PortSet udp = PortSet.empty();
        List<PortRange> tcpExtra = new ArrayList<>();
        List<PortRange> udpExtra = new ArrayList<>();
        if (in.listeners() != null) {
            for (Listener l : in.listeners()) {
                if (!l.scope().reachableFromNetwork() || l.port() < 1) continue;
                (l.protocol() == Protocol.TCP ? tcpExtra : udpExtra).add(PortRange.of(l.port()));
            }
        }
        if (in.firewall() != null) {
            for (Exposure e : in.firewall().exposures()) {
                for (ExposureRange r : e.ranges()) {
                    if (r.verdict() != Verdict.ACCEPT || r.range().size() > 16) continue;
                    (e.protocol() == Protocol.TCP ? tcpExtra : udpExtra).add(r.range());
                }
            }
        }
        tcp = tcp.union(PortSet.of(tcpExtra));
        udp = udp.union(PortSet.of(udpExtra));
        if (udp.size() > MAX_UDP_PORTS) udp = PortSet.of(udp.ranges().subList(0, Math.min(udp.rangeCount(), MAX_UDP_PORTS)));
        return PortSpec.of(tcp, udp);
    }
}
