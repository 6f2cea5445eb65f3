package io.portaudit.scan;

import io.portaudit.model.AddressText;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The scan stage's entry point. Hosts are taken from the target spec lazily, {@code hostGroup} at a
 * time: discovery (multi-host targets without {@code -Pn}), TCP connect scan, UDP scan, then
 * {@code -sV} on open TCP ports; each host is reported as soon as its group is done, each port as
 * soon as it is decided. Memory is bounded by the host group, never by the target count.
 */
public final class Scanner {
    /** Ports of the TCP connect "ping" (nmap unprivileged pings 80 and 443; portaudit adds device ports). */
    public static final PortSet DISCOVERY_PORTS = PortSpec.parse("80,443,22,23,21,8080,25,3389,445,139", io.portaudit.model.ServiceNames.iana()).tcp();

    private final LongSupplier clockUs;
    private volatile Clock wall = Clock.systemUTC();
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile int fdBudgetOverride = -1;
    private volatile String socketLayerOverride;
    private volatile int threadsOverride = -1;
    /** Probes and socket layer of the engine threads of a sharded TCP scan in the current run (see {@link #scanTcp}). */
    private long shardProbes;
    private String shardLayer = "";

    public Scanner() {
        this(TcpConnectEngine::systemMicros);
    }

    public Scanner(LongSupplier clockUs) {
        this.clockUs = clockUs;
    }

    /** The wall clock of the run's timestamps (hosts' start and end) and of certificate checks; the system's by default. */
    public Scanner withClock(Clock wall) {
        this.wall = wall;
        return this;
    }

    /** Asks a running scan to stop probing; {@link #run} then returns a partial outcome. Thread-safe. */
    public void stop() {
        stop.set(true);
    }

    public boolean stopped() {
        return stop.get();
    }

    /** For tests and benchmarks: the TCP socket layer ("nio", "native") and the number of engine threads. */
    public Scanner withEngine(String socketLayer, int threads) {
        this.socketLayerOverride = socketLayer;
        this.threadsOverride = threads;
        return this;
    }

    /** For tests: pretend the open-file budget is this small. */
    public Scanner withFdBudget(int budget) {
        this.fdBudgetOverride = budget;
        return this;
    }

    /**
     * What happened. {@code complete} is false when stopped early, a host timed out, or a target was unusable;
     * {@code socketLayer} is the TCP engine's ("nio", "native"; empty when no TCP probe was sent).
     */
    public record Outcome(int hostsUp, int hostsDown, int hostsTimedOut, boolean stopped, long probes, int hostsUnscannable,
                          String socketLayer) {
        public boolean complete() {
            return !stopped && hostsTimedOut == 0 && hostsUnscannable == 0;
        }
    }

    /** Streams every decided port to {@code consumer}. */
    public Outcome run(ScanRequest req, Consumer<PortResult> consumer) {
        return run(req, new ScanListener() {
            @Override
            public void port(PortResult r) {
                consumer.accept(r);
            }
        });
    }

    /** Convenience for small scans (tests, the audit): every port result in a list. */
    public List<PortResult> scan(ScanRequest req) {
        List<PortResult> out = new ArrayList<>();
        run(req, (Consumer<PortResult>) out::add);
        return out;
    }

    private static final class Host {
        final InetAddress address;
        /** The address as printed, formatted once (not once per decided port). */
        final String addr;
        final PortTable table;
        final HostTiming timing;
        final long startMillis;
        boolean up = true;
        String reason = Reasons.USER_SET;
        boolean timedOut;

        Host(InetAddress address, ScanRequest req, long startMillis) {
            this.address = address;
            this.startMillis = startMillis;
            this.addr = AddressText.format(address);
            this.table = new PortTable(addr, req.names());
            this.timing = new HostTiming(req.timing());
        }
    }

    public Outcome run(ScanRequest req, ScanListener rawListener) {
        ScanListener listener = synchronizedListener(rawListener);
        int budget = fdBudgetOverride > 0 ? fdBudgetOverride : FdBudget.current();
        double maxRate = req.maxRate() > 0 ? req.maxRate() : req.timing().defaultMaxRate();
        TcpConnectEngine tcp = new TcpConnectEngine(clockUs, budget, req.minRate(), maxRate, stop::get,
                SocketLayer.choose(socketLayerOverride, large(req)));
        shardProbes = 0;
        shardLayer = "";
        // one target is taken as up (its scan shows it) unless only discovery is asked for (-sn)
        boolean discovery = !req.skipDiscovery() && (req.pingOnly() || req.targets().size().compareTo(java.math.BigInteger.ONE) > 0);
        int up = 0, down = 0, timedOut = 0, unscannable = 0;
        Iterator<InetAddress> addresses = req.targets().iterator();
        java.util.Set<InetAddress> seen = new java.util.HashSet<>();
        boolean dedupe = req.targets().targets().size() > 1;
        try {
            while (addresses.hasNext() && !stop.get()) {
                List<Host> group = new ArrayList<>();
                while (group.size() < req.hostGroup() && addresses.hasNext()) {
                    InetAddress a = addresses.next();
                    // a duplicate target is scanned once; one expression never repeats an address, so only
                    // several expressions need remembering (bounded: beyond 100,000 duplicates are rescanned)
                    if (dedupe && seen.size() < 100_000 && !seen.add(a)) continue;
                    group.add(new Host(a, req, wall.millis()));
                }
                if (discovery) discover(tcp, group, req);
                List<Host> live = group.stream().filter(h -> h.up).toList();
                if (!req.tcpPorts().isEmpty() && !live.isEmpty()) scanTcp(tcp, live, req, listener, budget, maxRate);
                if (!req.udpPorts().isEmpty() && !live.isEmpty() && !stop.get()) {
                    new UdpEngine(clockUs, Math.max(1, budget), maxRate, stop::get).run(live.stream()
                            // a UDP-only scan times the host with the host's own timing (its latency is then reported);
                            // after a TCP scan UDP starts afresh, its window not shaped by TCP's answers
                            .map(h -> new UdpEngine.Job(h.address, order(req.udpPorts(), h.address, Protocol.UDP, req),
                                    req.tcpPorts().isEmpty() ? h.timing : new HostTiming(req.timing()),
                                    deadline(req), h)).iterator(), req.hostGroup(), (job, port, state, reason, payloadReply) -> {
                                Host h = (Host) job.owner;
                                String service = req.names().name(port, Protocol.UDP).orElse(null);
                                // -sV: what the reply to the protocol payload says (the banner becomes its summary)
                                ServiceDetector.Identified id = req.serviceDetection() && state == PortState.OPEN
                                        ? UdpIdentify.identify(port, payloadReply) : null;
                                PortResult r = id == null
                                        ? new PortResult(AddressText.format(h.address), Protocol.UDP, port, state, reason, service, null, null, payloadReply)
                                        : id.apply(new PortResult(AddressText.format(h.address), Protocol.UDP, port, state, reason,
                                                service, null, null, id.banner()));
                                h.table.put(r);
                                if (!h.up || Reasons.USER_SET.equals(h.reason)) {
                                    if (state == PortState.OPEN || state == PortState.CLOSED) h.reason = reason;
                                }
                                listener.port(r);
                            }, job -> {
                                if (job.timedOut()) ((Host) job.owner).timedOut = true;
                            });
                }
                if (req.serviceDetection() && !stop.get()) {
                    ServiceDetector sv = new ServiceDetector(req.serviceTimeout(), wall);
                    for (Host h : live) {
                        List<PortResult> open = h.table.results(java.util.EnumSet.complementOf(java.util.EnumSet.of(PortState.OPEN)))
                                .stream().filter(r -> r.protocol() == Protocol.TCP).toList();
                        for (PortResult r : sv.probeAll(h.address, open, stop::get)) {
                            h.table.put(r);
                            listener.port(r);
                        }
                    }
                }
                for (Host h : group) {
                    if (h.up) up++;
                    else down++;
                    if (h.timedOut) timedOut++;
                    // every probe failed locally (no route, blackhole, EINVAL): the host was not scanned
                    Map<PortState, Map<String, Integer>> rc = h.table.reasonCounts();
                    if (h.up && !rc.isEmpty() && rc.values().stream().allMatch(m -> m.keySet().equals(java.util.Set.of(Reasons.ERROR)))) {
                        unscannable++;
                        h.reason = Reasons.ERROR;
                    }
                    listener.host(new HostReport(AddressText.format(h.address), h.up, h.reason, h.timing.srttUs(),
                            h.startMillis, wall.millis(), h.timedOut, h.table));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Outcome(up, down, timedOut, stop.get(), tcp.sent() + shardProbes, unscannable,
                tcp.socketLayer().isEmpty() ? shardLayer : tcp.socketLayer());
    }

    /**
     * The order a host's ports are probed in: ascending with {@code -r}; else random (seeded by the
     * address, so runs repeat) with the most common ports first, as nmap does.
     */
    static int[] order(PortSet ports, InetAddress address, Protocol p, ScanRequest req) {
        if (req.sequential()) {
            int[] a = new int[ports.size()];
            int n = 0;
            for (var r : ports.ranges()) for (int port = r.from(); port <= r.to(); port++) a[n++] = port;
            return a;
        }
        return TcpConnectEngine.Job.shuffle(ports, address, p == Protocol.UDP ? PortFrequencies.FALLBACK_UDP : PortFrequencies.FALLBACK_TCP);
    }

    private long deadline(ScanRequest req) {
        long ht = req.timing().hostTimeoutUs();
        return ht > 0 ? clockUs.getAsLong() + ht : 0;
    }

    private void discover(TcpConnectEngine tcp, List<Host> group, ScanRequest req) throws IOException {
        Map<TcpConnectEngine.Job, Host> jobs = new IdentityHashMap<>();
        List<TcpConnectEngine.Job> list = new ArrayList<>();
        for (Host h : group) {
            h.up = false;
            h.reason = Reasons.NO_RESPONSE;
            TcpConnectEngine.Job j = new TcpConnectEngine.Job(h.address, DISCOVERY_PORTS, h.timing, true, deadline(req), h);
            jobs.put(j, h);
            list.add(j);
        }
        tcp.run(list.iterator(), group.size(), new TcpConnectEngine.Sink() {
            @Override
            public void decided(TcpConnectEngine.Job job, int port, PortState state, String reason) {
                Host h = (Host) job.owner;
                if (state == PortState.OPEN || state == PortState.CLOSED) {
                    h.up = true;
                    h.reason = reason;
                }
            }

            @Override
            public void jobDone(TcpConnectEngine.Job job) {}
        });
    }

    private void scanTcp(TcpConnectEngine tcp, List<Host> live, ScanRequest req, ScanListener listener, int budget,
                         double maxRate) throws IOException {
        TcpConnectEngine.Sink sink = new TcpConnectEngine.Sink() {
            @Override
            public synchronized void decided(TcpConnectEngine.Job job, int port, PortState state, String reason) {
                Host h = (Host) job.owner;
                h.table.putPlain(Protocol.TCP, port, state, reason);
                if ((state == PortState.OPEN || state == PortState.CLOSED) && Reasons.USER_SET.equals(h.reason)) h.reason = reason;
                if (!req.serviceDetection() || state != PortState.OPEN) {
                    listener.port(new PortResult(h.addr, Protocol.TCP, port, state, reason,
                            req.names().name(port, Protocol.TCP).orElse(null), null, null, null));
                }
            }

            @Override
            public synchronized void jobDone(TcpConnectEngine.Job job) {
                if (job.timedOut()) ((Host) job.owner).timedOut = true;
            }
        };
        int k = engineThreads(req, live.size(), budget, threadsOverride);
        if (k == 1) {
            List<TcpConnectEngine.Job> list = new ArrayList<>();
            for (Host h : live) list.add(new TcpConnectEngine.Job(h.address, order(req.tcpPorts(), h.address, Protocol.TCP, req), h.timing, false, deadline(req), h));
            tcp.run(list.iterator(), live.size(), sink);
            return;
        }
        // k engines on k threads, each with every k-th port of each host's random order, a k-th of
        // the descriptor budget and of the rate caps, and one shared HostTiming per host: answers to
        // any thread teach all of them, and each may have a k-th of the window in flight
        List<TcpConnectEngine> engines = new ArrayList<>();
        List<List<TcpConnectEngine.Job>> jobs = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            engines.add(new TcpConnectEngine(clockUs, Math.max(1, budget / k), req.minRate() / k, maxRate / k, stop::get,
                    SocketLayer.choose(socketLayerOverride, true)));
            jobs.add(new ArrayList<>());
        }
        for (Host h : live) {
            int[] all = order(req.tcpPorts(), h.address, Protocol.TCP, req);
            long deadline = deadline(req);
            HostTiming shared = h.timing.sharedBy(k);
            for (int s = 0; s < k; s++) {
                int[] part = new int[(all.length - s + k - 1) / k];
                for (int i = s, n = 0; i < all.length; i += k) part[n++] = all[i];
                jobs.get(s).add(new TcpConnectEngine.Job(h.address, part, shared, false, deadline, h));
            }
        }
        TcpConnectEngine.runAll(engines, jobs.stream().map(List::iterator).toList(), live.size(), sink);
        for (Host h : live) h.timing.sharedBy(1);
        for (TcpConnectEngine e : engines) {
            shardProbes += e.sent();
            if (shardLayer.isEmpty()) shardLayer = e.socketLayer();
        }
    }

    /** A scan big enough for engine threads and the native socket layer: 4,096 host-ports or more (per host group). */
    static boolean large(ScanRequest req) {
        return (long) req.tcpPorts().size() * Math.min(req.hostGroup(), req.targets().size().min(java.math.BigInteger.valueOf(1 << 20)).intValue())
                >= LARGE;
    }

    static final int LARGE = 4096;

    /**
     * How many engine threads a TCP scan gets: one per core (at most 4) for a large scan, so that
     * the kernel's work for the connections (most of a -p- scan's time) is spread over the cores
     * (they share each host's timing: {@link HostTiming#sharedBy});
     * one for small scans, serial templates (parallelism below 8) and scan delays. The system
     * property {@code portaudit.scan.threads} or {@link #withEngine} overrides the count (tests,
     * benchmarks), never those limits.
     */
    static int engineThreads(ScanRequest req, int hosts, int budget, int override) {
        String forced = System.getProperty("portaudit.scan.threads");
        int k;
        if (override > 0) k = override;
        else if (forced != null && forced.trim().matches("[1-9][0-9]{0,2}")) k = Integer.parseInt(forced.trim());
        else {
            long ports = (long) req.tcpPorts().size() * hosts;
            int cpus = Runtime.getRuntime().availableProcessors();
            k = ports < LARGE ? 1 : Math.min(cpus, 4);
        }
        TimingTemplate t = req.timing();
        if (t.maxParallelism() < 8 || t.scanDelayUs() > 0 || budget < 64) return 1;
        return Math.max(1, Math.min(k, t.maxParallelism() / 4));
    }

    static ScanListener synchronizedListener(ScanListener l) {
        return new ScanListener() {
            @Override
            public synchronized void started(ScanInfo info) { l.started(info); }

            @Override
            public synchronized void port(PortResult r) { l.port(r); }

            @Override
            public synchronized void host(HostReport h) { l.host(h); }

            @Override
            public synchronized void finished(ScanSummary s) { l.finished(s); }
        };
    }
}
