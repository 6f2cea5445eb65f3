package io.portaudit.scan;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A scan as a person asks for it (nmap's options: targets, ports, scan types, timing) turned into a checked
 * {@link ScanRequest}: the one place that builds scan requests, for {@code portaudit scan} and the audit's own
 * scan ({@code audit --scan}, {@code --ssh}). Bad options are an {@link InvalidScan}; targets that could not be
 * resolved are kept as {@link #problems()} when others remain (the scan is then partial).
 *
 * @param request       what the scanner runs
 * @param problems      targets or ports that could not be read (each already counted in {@code targetProblem})
 * @param targetProblem a target could not be resolved: the scan is partial
 */
public record ScanPlan(ScanRequest request, List<ParseProblem> problems, boolean targetProblem) {
    public ScanPlan {
        problems = List.copyOf(problems);
    }

    /** Options that cannot make a scan; {@code incomplete} when the cause was targets that did not resolve (exit 3). */
    public static final class InvalidScan extends Exception {
        private final boolean incomplete;

        public InvalidScan(String message, boolean incomplete) {
            super(message);
            this.incomplete = incomplete;
        }

        public InvalidScan(String message) {
            this(message, false);
        }

        public boolean incomplete() {
            return incomplete;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The audit's scan of one device: {@code target} must name exactly one address (an unresolvable name, a range,
     * a name with several addresses is an {@link InvalidScan}); no host discovery, service detection on, the
     * scanner's device-safe default timing.
     */
    public static ScanPlan device(String target, PortSpec ports, ServiceNames names) throws InvalidScan {
        return device(target, ports, names, null, null);
    }

    /** {@link #device(String, PortSpec, ServiceNames)} with a timing template (null: default) and a host timeout (null: none). */
    public static ScanPlan device(String target, PortSpec ports, ServiceNames names, Integer template, Duration hostTimeout) throws InvalidScan {
        if (target == null || target.isBlank()) throw new InvalidScan(io.portaudit.model.L10n.t("scan.d.notarget"));
        ScanPlan plan;
        try {
            plan = builder().targets(List.of(target)).explicitPorts(ports).tcp(!ports.tcp().isEmpty()).udp(!ports.udp().isEmpty())
                    .skipDiscovery(true).serviceDetection(true).template(template)
                    .hostTimeout(hostTimeout == null ? null : Math.max(1, hostTimeout.toMillis()) + "ms").build(names);
        } catch (InvalidScan e) {
            throw new InvalidScan("--scan " + target + ": " + e.getMessage(), e.incomplete());
        }
        if (!plan.problems().isEmpty()) throw new InvalidScan("--scan " + target + ": " + plan.problems().get(0).message());
        Iterator<InetAddress> it = plan.request().targets().iterator();
        if (!it.hasNext()) throw new InvalidScan(io.portaudit.model.L10n.t("scan.d.noaddress", target));
        it.next();
        if (it.hasNext()) {
            throw new InvalidScan(io.portaudit.model.L10n.t("scan.d.several", target));
        }
        if (plan.request().tcpPorts().size() + plan.request().udpPorts().size() == 0) {
            throw new InvalidScan(io.portaudit.model.L10n.t("scan.d.noports", target));
        }
        return plan;
    }

    /** The first address of the plan's targets (the device of an audit's scan). */
    public InetAddress firstAddress() {
        return request.targets().iterator().next();
    }

    /** A rate above this is a typing error (a connect() scanner does not reach it). */
    public static final double MAX_RATE = 1_000_000;
    /** The longest time any option takes: a host timeout of a month is already more than anyone means. */
    public static final Duration MAX_TIME = Duration.ofDays(30);

    /**
     * nmap time specs: 500ms, 30s, 5m, 2h; a bare number is seconds. Negative, not-a-number and
     * overlong times are usage errors, never taken as something else.
     */
    public static Duration duration(String s, String what) throws InvalidScan {
        String t = s.trim().toLowerCase(Locale.ROOT);
        double ms;
        try {
            String num = t.endsWith("ms") ? t.substring(0, t.length() - 2) : t.endsWith("s") || t.endsWith("m") || t.endsWith("h")
                    ? t.substring(0, t.length() - 1) : t;
            // digits and one dot only: no "NaN", "Infinity", hex floats or exponents
            if (!num.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+|-[0-9.]+")) throw new NumberFormatException(num);
            double v = Double.parseDouble(num);
            ms = t.endsWith("ms") ? v : t.endsWith("s") ? v * 1000 : t.endsWith("m") ? v * 60_000 : t.endsWith("h") ? v * 3_600_000 : v * 1000;
        } catch (NumberFormatException e) {
            throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.time", what, s));
        }
        if (ms < 0) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.negative", what, s));
        if (ms > MAX_TIME.toMillis()) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.30days", what, s));
        return Duration.ofMillis((long) ms);
    }

    /** {@link #duration}, and more than zero. */
    public static Duration positive(String s, String what) throws InvalidScan {
        Duration d = duration(s, what);
        if (d.isZero()) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.zero", what, s));
        return d;
    }

    /** nmap's options, as given; {@link #build} checks them. */
    public static final class Builder {
        private List<String> targets = List.of();
        private List<String> excludes = List.of();
        private boolean noDns;
        private AddressFamily only;
        private String ports;
        private PortSpec explicitPorts;
        private Integer topPorts;
        private boolean fast;
        private String excludePorts;
        private boolean tcp;
        private boolean udp;
        private boolean pingOnly;
        private boolean serviceDetection;
        private boolean skipDiscovery;
        private boolean sequential;
        private Integer template;
        private Integer maxRetries;
        private Integer maxParallelism;
        private String scanDelay;
        private String hostTimeout;
        private String initialRtt;
        private String minRtt;
        private String maxRtt;
        private double minRate;
        private double maxRate;
        private Integer hostGroup;
        private String versionTimeout;

        private Builder() {}

        public Builder targets(List<String> t) { targets = List.copyOf(t); return this; }
        public Builder excludes(List<String> e) { excludes = List.copyOf(e); return this; }
        public Builder noDns(boolean b) { noDns = b; return this; }
        /** {@code -4}/{@code -6}: names resolve to that family only, literals of the other are refused; null = both. */
        public Builder only(AddressFamily f) { only = f; return this; }
        /** {@code -p} in nmap syntax. */
        public Builder ports(String p) { ports = p; return this; }
        /** Ports already worked out (the audit's: the views' ports plus the most common ones). */
        public Builder explicitPorts(PortSpec p) { explicitPorts = p; return this; }
        public Builder topPorts(Integer n) { topPorts = n; return this; }
        public Builder fast(boolean b) { fast = b; return this; }
        public Builder excludePorts(String p) { excludePorts = p; return this; }
        public Builder tcp(boolean b) { tcp = b; return this; }
        public Builder udp(boolean b) { udp = b; return this; }
        public Builder pingOnly(boolean b) { pingOnly = b; return this; }
        public Builder serviceDetection(boolean b) { serviceDetection = b; return this; }
        public Builder skipDiscovery(boolean b) { skipDiscovery = b; return this; }
        public Builder sequential(boolean b) { sequential = b; return this; }
        public Builder template(Integer t) { template = t; return this; }
        public Builder maxRetries(Integer n) { maxRetries = n; return this; }
        public Builder maxParallelism(Integer n) { maxParallelism = n; return this; }
        public Builder scanDelay(String t) { scanDelay = t; return this; }
        public Builder hostTimeout(String t) { hostTimeout = t; return this; }
        public Builder rttTimeouts(String initial, String min, String max) { initialRtt = initial; minRtt = min; maxRtt = max; return this; }
        public Builder rates(double min, double max) { minRate = min; maxRate = max; return this; }
        public Builder hostGroup(Integer n) { hostGroup = n; return this; }
        public Builder versionTimeout(String t) { versionTimeout = t; return this; }

        public ScanPlan build(ServiceNames names) throws InvalidScan {
            List<ParseProblem> problems = new ArrayList<>();
            // targets
            if (targets.isEmpty()) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.notargets"));
            Class<? extends InetAddress> family = only == AddressFamily.IPV6 ? Inet6Address.class
                    : only == AddressFamily.IPV4 ? Inet4Address.class : null;
            String flag = only == AddressFamily.IPV6 ? "-6" : "-4";
            String famName = only == AddressFamily.IPV6 ? "IPv6" : "IPv4";
            TargetSpec spec = family == null ? TargetSpec.parse(targets, excludes, noDns) : TargetSpec.parse(targets, excludes, noDns, name -> {
                for (InetAddress a : InetAddress.getAllByName(name)) if (family.isInstance(a)) return a;
                throw new java.net.UnknownHostException(io.portaudit.model.L10n.t("scan.t.nofamily", name, famName));
            });
            if (family != null) {
                for (TargetSpec.Target t : spec.targets()) {
                    Iterator<InetAddress> it = t.iterator();
                    if (it.hasNext() && !family.isInstance(it.next())) {
                        throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.family", t.text(), famName, flag));
                    }
                }
            }
            problems.addAll(spec.problems());
            boolean targetProblem = !spec.problems().isEmpty();
            if (spec.targets().isEmpty()) {
                throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.nousable") + formats(problems), targetProblem);
            }
            // ports
            boolean doUdp = udp, doTcp = tcp || !udp;
            int selections = (ports != null ? 1 : 0) + (topPorts != null ? 1 : 0) + (fast ? 1 : 0) + (explicitPorts != null ? 1 : 0);
            if (selections > 1) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.oneof", "-p, --top-ports, -F"));
            if (pingOnly && (selections > 0 || tcp || udp || serviceDetection || excludePorts != null)) {
                throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.sn"));
            }
            PortSpec portSpec;
            if (pingOnly) {
                portSpec = PortSpec.of(PortSet.empty(), PortSet.empty());
            } else if (explicitPorts != null) {
                portSpec = explicitPorts;
            } else if (ports != null) {
                portSpec = PortSpec.parse(ports, names);
                if (!portSpec.ok()) throw new InvalidScan("-p: " + io.portaudit.model.L10n.t("cmd.scan.badports") + formats(portSpec.problems()));
            } else {
                int n = topPorts != null ? topPorts : fast ? 100 : 1000;
                if (n < 1) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.atleast", "--top-ports", 1));
                PortFrequencies f = PortFrequencies.load();
                portSpec = PortSpec.of(f.top(Protocol.TCP, n), f.top(Protocol.UDP, n));
            }
            if (!portSpec.ok()) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.badports") + formats(portSpec.problems()));
            if (excludePorts != null) {
                PortSpec ex = PortSpec.parse(excludePorts, names);
                if (!ex.ok()) throw new InvalidScan("--exclude-ports: " + io.portaudit.model.L10n.t("cmd.scan.badports") + formats(ex.problems()));
                portSpec = PortSpec.of(portSpec.tcp().minus(ex.tcp()), portSpec.udp().minus(ex.udp()));
            }
            if (!pingOnly && (doTcp ? portSpec.tcp().size() : 0) + (doUdp ? portSpec.udp().size() : 0) == 0) {
                throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.noports"));
            }
            // timing
            TimingTemplate t = TimingTemplate.of(template == null ? 3 : range(template, 0, 5, "-T"));
            if (maxRetries != null) t = t.withMaxRetries(range(maxRetries, 0, 50, "--max-retries"));
            if (maxParallelism != null) t = t.withMaxParallelism(range(maxParallelism, 1, 65535, "--max-parallelism"));
            if (scanDelay != null) t = t.withScanDelay(duration(scanDelay, "--scan-delay"));
            if (hostTimeout != null) t = t.withHostTimeout(duration(hostTimeout, "--host-timeout"));
            if (initialRtt != null || minRtt != null || maxRtt != null) {
                long init = initialRtt == null ? t.initialRttTimeoutUs() : us(initialRtt, "--initial-rtt-timeout");
                long min = minRtt == null ? t.minRttTimeoutUs() : us(minRtt, "--min-rtt-timeout");
                long max = maxRtt == null ? t.maxRttTimeoutUs() : us(maxRtt, "--max-rtt-timeout");
                if (min > max) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.rtt"));
                t = t.withRttTimeouts(init, min, max);
            }
            if (!Double.isFinite(minRate) || !Double.isFinite(maxRate) || minRate < 0 || maxRate < 0 || minRate > MAX_RATE
                    || maxRate > MAX_RATE) {
                throw new InvalidScan(io.portaudit.model.L10n.t("scan.rate.range", (long) MAX_RATE));
            }
            if (maxRate > 0 && minRate > maxRate) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.scan.rate"));
            ScanRequest req = ScanRequest.builder(spec, portSpec).tcp(doTcp).udp(doUdp).timing(t).minRate(minRate).maxRate(maxRate)
                    .skipDiscovery(skipDiscovery).serviceDetection(serviceDetection).names(names).pingOnly(pingOnly).sequential(sequential)
                    .hostGroup(hostGroup == null ? 32 : range(hostGroup, 1, 4096, "--hostgroup"))
                    .serviceTimeout(versionTimeout == null ? Duration.ofSeconds(5) : positive(versionTimeout, "--version-timeout"))
                    .build();
            return new ScanPlan(req, problems, targetProblem);
        }

        /** Each problem on its own line, the way the CLI prints diagnostics. */
        private static String formats(List<ParseProblem> problems) {
            StringBuilder sb = new StringBuilder();
            for (ParseProblem p : problems) sb.append("\nportaudit: ").append(p.format());
            return sb.toString();
        }

        private static int range(int v, int lo, int hi, String what) throws InvalidScan {
            if (v < lo || v > hi) throw new InvalidScan(io.portaudit.model.L10n.t("cmd.range", what, lo + ".." + hi, v));
            return v;
        }

        private static long us(String s, String what) throws InvalidScan {
            return positive(s, what).toNanos() / 1000;
        }
    }
}
