package io.portaudit.scan;

import io.portaudit.model.AddressText;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The connect() scan engine: one thread, many non-blocking connect probes in flight through a
 * {@link SocketLayer} socket layer (Java NIO, or the kernel's calls directly on JDK 22+). Per host a
 * {@link HostTiming} decides how many probes may be outstanding and when a silent one has timed
 * out; globally the open-file budget, {@code --max-rate} and {@code --min-rate} apply. Every
 * decided port goes to {@link Sink#decided} at once; nothing per port is kept here after it is
 * decided.
 *
 * <p>States (nmap {@code -sT}): a completed handshake is open/syn-ack; ECONNREFUSED (a RST, or ICMP
 * port-unreachable) is closed/conn-refused; EHOSTUNREACH/ENETUNREACH/EACCES from an ICMP error are
 * filtered with host-unreach/net-unreach/admin-prohibited; silence after the allowed retransmissions
 * is filtered/no-response. A probe whose socket connected to itself (source port = destination
 * port on a local address, {@link SocketLayer#connectedToItself}) decides nothing: the port is probed
 * again.
 */
public final class TcpConnectEngine {

    /** Where decisions go (the scanner's bookkeeping). */
    public interface Sink {
        void decided(Job job, int port, PortState state, String reason);

        /** The job has nothing more to send or wait for. */
        void jobDone(Job job);
    }

    /** One host's worth of ports to probe (a discovery ping or a port scan). */
    public static final class Job {
        final InetSocketAddress base;
        final String address;
        final PrimitiveIterator.OfInt cursor;
        final int total;
        final HostTiming timing;
        final boolean stopOnFirstReply;
        final long hostDeadlineUs;
        final ArrayDeque<Probe> inflight = new ArrayDeque<>();
        final ArrayDeque<Probe> fresh = new ArrayDeque<>();
        /** Last tries to IPv6 targets, kept until {@link #V6_LINGER_US} (see there). */
        final ArrayDeque<Probe> lingering = new ArrayDeque<>();
        final boolean v6;
        final ArrayDeque<int[]> retries = new ArrayDeque<>();
        int inflightCount;
        /** Probes young enough that the device may still be answering them (what cwnd limits). */
        int freshCount;
        long nextSendUs;
        boolean anyReply;
        boolean timedOut;
        boolean finished;
        int decided;
        public final Object owner;

        public Job(java.net.InetAddress address, PortSet ports, HostTiming timing, boolean stopOnFirstReply,
                   long hostDeadlineUs, Object owner) {
            this(address, shuffle(ports, address), timing, stopOnFirstReply, hostDeadlineUs, owner);
        }

        /** A job for exactly these ports, probed in the order given. */
        public Job(java.net.InetAddress address, int[] ports, HostTiming timing, boolean stopOnFirstReply,
                   long hostDeadlineUs, Object owner) {
            this.base = new InetSocketAddress(address, 0);
            this.address = AddressText.format(address);
            this.v6 = address instanceof java.net.Inet6Address;
            this.cursor = java.util.Arrays.stream(ports).iterator();
            this.total = ports.length;
            this.timing = timing;
            this.stopOnFirstReply = stopOnFirstReply;
            this.hostDeadlineUs = hostDeadlineUs;
            this.owner = owner;
        }

        /**
         * The ports in a random order (seeded per host, so runs are repeatable): like nmap, so
         * that answers from closed ports give RTT samples early instead of a block of filtered
         * ports waiting out the initial timeout, and so that no device sees a linear sweep.
         */
        static int[] shuffle(PortSet ports, java.net.InetAddress address) {
            return shuffle(ports, address, PortFrequencies.FALLBACK_TCP);
        }

        /**
         * The ports in a random order, except that the most commonly open ones ({@code common}, the
         * first {@link #COMMON_FIRST}) come first, still in random order among themselves: like
         * nmap, which moves common ports near the beginning. Their answers give the host's
         * round-trip time at once, before the window has to wait on ports a firewall drops.
         */
        static int[] shuffle(PortSet ports, java.net.InetAddress address, int[] common) {
            int[] a = shuffle(ports, new java.util.Random(address.hashCode()));
            java.util.BitSet first = new java.util.BitSet(65536);
            for (int i = 0; i < Math.min(COMMON_FIRST, common.length); i++) first.set(common[i]);
            int[] out = new int[a.length];
            int n = 0;
            for (int p : a) if (first.get(p)) out[n++] = p;
            for (int p : a) if (!first.get(p)) out[n++] = p;
            return out;
        }

        static final int COMMON_FIRST = 20;

        static int[] shuffle(PortSet ports, java.util.Random random) {
            int[] a = new int[ports.size()];
            int n = 0;
            for (var r : ports.ranges()) for (int p = r.from(); p <= r.to(); p++) a[n++] = p;
            for (int i = n - 1; i > 0; i--) {
                int k = random.nextInt(i + 1);
                int t = a[i];
                a[i] = a[k];
                a[k] = t;
            }
            return a;
        }

        public boolean anyReply() { return anyReply; }
        public boolean timedOut() { return timedOut; }
        public HostTiming timing() { return timing; }
        public int decided() { return decided; }
        public int total() { return total; }

        boolean hasWork() {
            return !finished && (cursor.hasNext() || !retries.isEmpty() || inflightCount > 0);
        }
    }

    static final class Probe {
        final Job job;
        final int port;
        final int tryNo;
        /** How many earlier probes of this port (this try) connected to themselves (see {@link SocketLayer#connectedToItself}). */
        int selfConnects;
        /** The local port to bind before connecting, 0 for the kernel's choice (only tests set one). */
        int localPort;
        long sentUs;
        /** The socket, as the {@link SocketLayer} layer holds it: a channel (NIO) or a descriptor (native). */
        SocketChannel ch;
        int fd = -1;
        boolean watched;
        /** The kernel closed the connection (a RST): the native layer may connect the socket again. */
        boolean reusable;
        /** Holds a socket (counted in flight) until released. */
        boolean holds;
        boolean done;
        boolean stale;
        boolean lingering;

        Probe(Job job, int port, int tryNo, long sentUs) {
            this.job = job;
            this.port = port;
            this.tryNo = tryNo;
            this.sentUs = sentUs;
        }
    }

    private final LongSupplier clockUs;
    private final int fdBudget;
    private final RateLimiter maxRate;
    private final double minRate;
    private final BooleanSupplier stop;
    private final ArrayDeque<Probe> unregistered = new ArrayDeque<>();
    private SocketLayer io;
    private String ioName = "";
    private final String socketLayerWanted;
    private int globalInflight;
    private long sent;
    private long startUs = -1;
    private int selfConnects;
    /**
     * Tests only: the local port a port's first probe binds to (0: the kernel's choice), to make a
     * probe connect to itself at will. Rescans after a self-connect always let the kernel choose.
     */
    java.util.function.IntUnaryOperator firstProbeLocalPort = port -> 0;

    /**
     * A port whose probe connected to itself is probed again with a new socket (the kernel then picks
     * another source port); after this many self-connects in a row the port is reported filtered with
     * reason "error": its state is unknown, never open.
     */
    static final int MAX_SELF_CONNECTS = 4;

    public TcpConnectEngine(LongSupplier clockUs, int fdBudget, double minRate, double maxRate, BooleanSupplier stop) {
        this(clockUs, fdBudget, minRate, maxRate, stop, null);
    }

    /** {@code socketLayer}: "nio", "native", or null for the best available (see {@link SocketLayer#open}). */
    public TcpConnectEngine(LongSupplier clockUs, int fdBudget, double minRate, double maxRate, BooleanSupplier stop,
                            String socketLayer) {
        this.socketLayerWanted = socketLayer;
        this.clockUs = clockUs;
        this.fdBudget = Math.max(1, fdBudget);
        this.maxRate = new RateLimiter(maxRate);
        this.minRate = minRate;
        this.stop = stop;
    }

    public static long systemMicros() {
        return System.nanoTime() / 1000;
    }

    /**
     * Runs jobs to completion, at most {@code parallelJobs} at once, pulling new ones from
     * {@code jobs} as others finish. Returns normally when all are done or {@code stop} became true.
     */
    public void run(Iterator<Job> jobs, int parallelJobs, Sink sink) throws IOException {
        // On a thread of its own: every closed port is an exception on the NIO layer, and filling
        // in its stack trace costs in proportion to the stack's depth (picocli, command, scanner
        // frames): a shallow stack makes -p- measurably cheaper.
        runAll(List.of(this), List.of(jobs), parallelJobs, sink);
    }

    /**
     * Runs several engines at once, each on its own thread with its own jobs (disjoint ports of the
     * same hosts: see {@link Scanner}); returns when all are done. {@code sink} must be thread-safe.
     */
    public static void runAll(List<TcpConnectEngine> engines, List<? extends Iterator<Job>> jobs, int parallelJobs, Sink sink)
            throws IOException {
        Throwable[] failure = new Throwable[1];
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            TcpConnectEngine e = engines.get(i);
            Iterator<Job> it = jobs.get(i);
            threads.add(Thread.ofPlatform().name("portaudit-tcp-" + i).start(() -> {
                try {
                    e.loop(it, parallelJobs, sink);
                } catch (Throwable t) {
                    synchronized (failure) {
                        if (failure[0] == null) failure[0] = t;
                    }
                }
            }));
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        switch (failure[0]) {
            case null -> { }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException(failure[0]);
        }
    }

    private void loop(Iterator<Job> jobs, int parallelJobs, Sink sink) throws IOException {
        ArrayDeque<Job> active = new ArrayDeque<>();
        try (SocketLayer io = SocketLayer.open(fdBudget, socketLayerWanted)) {
            this.io = io;
            this.ioName = io.name();
            // sockets the layer keeps for reuse count against the descriptor budget too
            int budget = Math.max(1, fdBudget - io.spareDescriptors());
            while (true) {
                if (stop.getAsBoolean()) {
                    for (Job j : active) abort(j);
                    return;
                }
                while (active.size() < parallelJobs && jobs.hasNext()) active.add(jobs.next());
                if (active.isEmpty()) return;
                long now = clockUs.getAsLong();
                if (startUs < 0) startUs = now;
                long wakeUs = now + 50_000;
                // 1. send, round-robin over hosts
                boolean sentSome = true;
                while (sentSome && globalInflight < budget) {
                    sentSome = false;
                    for (Job j : active) {
                        if (globalInflight >= budget) break;
                        if (j.finished || j.timedOut) continue;
                        if (now < j.nextSendUs) {
                            wakeUs = Math.min(wakeUs, j.nextSendUs);
                            continue;
                        }
                        boolean behindMinRate = minRate > 0 && sent < (now - startUs) / 1e6 * minRate;
                        // this engine's share of the host's parallelism (several engine threads: HostTiming.sharedBy)
                        int cap = Math.max(1, j.timing.template().maxParallelism() / j.timing.shares());
                        ageFresh(j, now);
                        if (j.inflightCount >= cap * SILENT_FACTOR) continue;
                        if (!(j.timing.canSend(j.freshCount) || (behindMinRate && j.freshCount < cap))) {
                            Probe f = j.fresh.peek();
                            if (f != null) wakeUs = Math.min(wakeUs, f.sentUs + freshWindow(j));
                            continue;
                        }
                        if (j.retries.isEmpty() && !j.cursor.hasNext()) continue;
                        if (!maxRate.tryAcquire(now)) {
                            wakeUs = Math.min(wakeUs, now + Math.max(100, maxRate.waitUs(now)));
                            break;
                        }
                        int port, tryNo, self = 0;
                        if (!j.retries.isEmpty()) {
                            int[] r = j.retries.poll();
                            port = r[0];
                            tryNo = r[1];
                            if (r.length > 2) self = r[2];
                        } else {
                            port = j.cursor.nextInt();
                            tryNo = 0;
                        }
                        send(j, port, tryNo, self, now, sink);
                        long delay = j.timing.template().scanDelayUs();
                        if (delay > 0) j.nextSendUs = now + delay;
                        sentSome = true;
                    }
                }
                // 1b. on a fast link most answers are in before the batch is sent: look at each new
                // probe once and watch (register with the poller) only those still waiting, which
                // saves two epoll_ctl calls per answered probe
                boolean decidedNow = false;
                if (!unregistered.isEmpty()) {
                    now = clockUs.getAsLong();
                    Probe p;
                    while ((p = unregistered.poll()) != null) {
                        if (p.done) continue;
                        int r = io.check(p);
                        if (r == SocketLayer.PENDING) io.watch(p);
                        else {
                            answered(p, r, clockUs.getAsLong(), sink);
                            decidedNow = true;
                        }
                    }
                }
                // answers taken here open the window (or end a job): do not sleep on the selector
                if (decidedNow) wakeUs = 0;
                // 2. wait for answers until the earliest timeout
                for (Job j : active) {
                    Probe head = firstLive(j);
                    if (head != null) wakeUs = Math.min(wakeUs, head.sentUs + j.timing.timeoutUs());
                    Probe lh = firstLingering(j);
                    if (lh != null) wakeUs = Math.min(wakeUs, lh.sentUs + lingerUs(j));
                    if (j.hostDeadlineUs > 0) wakeUs = Math.min(wakeUs, j.hostDeadlineUs);
                }
                long waitMs = Math.max(0, (wakeUs - clockUs.getAsLong() + 999) / 1000);
                io.select(Math.min(waitMs, 50), p -> {
                    if (p.done) return;
                    int r = io.check(p);
                    if (r != SocketLayer.PENDING) answered(p, r, clockUs.getAsLong(), sink);
                });
                // 3. time out silent probes; end finished hosts
                now = clockUs.getAsLong();
                for (Iterator<Job> it = active.iterator(); it.hasNext(); ) {
                    Job j = it.next();
                    if (!j.finished && j.hostDeadlineUs > 0 && now >= j.hostDeadlineUs) {
                        j.timedOut = true;
                        abort(j);
                    }
                    Probe p;
                    while ((p = firstLive(j)) != null && now - p.sentUs >= j.timing.timeoutUs()) {
                        silent(p, now, sink);
                    }
                    while ((p = firstLingering(j)) != null && now - p.sentUs >= lingerUs(j)) {
                        silent(p, now, sink);
                    }
                    if (!j.hasWork() || j.finished) {
                        abort(j);
                        it.remove();
                        sink.jobDone(j);
                    }
                }
            }
        } catch (ClosedSelectorException e) {
            // stopped
        } finally {
            this.io = null;
        }
    }

    /**
     * Probes in flight beyond the fresh window (srtt + 4·rttvar of real answers, at least 1 ms;
     * before any answer the template's minimum RTT timeout)
     * are presumed silent (filtered): the device is not working on them, so they stop counting
     * against the congestion window, though they still wait for their timeout and hold a socket.
     * At most {@link #SILENT_FACTOR} × parallelism probes are in flight to one host in all.
     */
    public static final int SILENT_FACTOR = 16;

    /**
     * Linux aborts an IPv6 connect() on an ICMPv6 error (port unreachable, administratively
     * prohibited) only when it answers a <em>retransmitted</em> SYN; the kernel retransmits after
     * its initial RTO of 1 s. So the last try to an IPv6 target keeps its socket this long, or a
     * REJECTed port would look filtered. (IPv4 honours the error on the first SYN.)
     */
    public static final long V6_LINGER_US = 1_300_000;

    static long freshWindow(Job j) {
        HostTiming t = j.timing;
        // no answer yet (a host that drops everything): after the template's minimum RTT timeout a
        // probe is presumed silent, or a silent host would be scanned cwnd probes at a time
        if (t.srttUs() < 0) return Math.min(t.timeoutUs(), t.template().minRttTimeoutUs());
        return Math.min(t.timeoutUs(), Math.max(1_000, t.srttUs() + 4 * t.rttvarUs()));
    }

    private static void ageFresh(Job j, long now) {
        long window = freshWindow(j);
        Probe p;
        while ((p = j.fresh.peek()) != null && (p.done || now - p.sentUs >= window)) {
            j.fresh.poll();
            if (!p.done && !p.stale) {
                p.stale = true;
                j.freshCount--;
            }
        }
    }

    private static long lingerUs(Job j) {
        return Math.max(j.timing.timeoutUs(), V6_LINGER_US);
    }

    private static Probe firstLingering(Job j) {
        Probe p;
        while ((p = j.lingering.peek()) != null && p.done) j.lingering.poll();
        return p;
    }

    private static Probe firstLive(Job j) {
        Probe p;
        while ((p = j.inflight.peek()) != null && p.done) j.inflight.poll();
        return p;
    }

    private void send(Job j, int port, int tryNo, int self, long now, Sink sink) {
        Probe p = new Probe(j, port, tryNo, now);
        p.selfConnects = self;
        if (tryNo == 0 && self == 0) p.localPort = firstProbeLocalPort.applyAsInt(port);
        sent++;
        int r;
        try {
            r = io.start(p, j.base.getAddress(), port);
            // the probe's own send time: the SYN left during start(). Not the batch's start, or an RTT
            // sample would include every probe sent before it (and the first, the JVM's first connect)
            p.sentUs = clockUs.getAsLong();
        } catch (IOException e) {
            // could not even open a socket (descriptor limit or the like): try again later
            j.retries.addFirst(new int[] {port, tryNo, self});
            j.nextSendUs = now + 10_000;
            return;
        }
        p.holds = true;
        globalInflight++;
        j.inflightCount++;
        if (j.v6 && tryNo >= j.timing.allowedRetries()) {
            p.lingering = true;
            j.lingering.add(p);
        }
        else j.inflight.add(p);
        j.freshCount++;
        j.fresh.add(p);
        if (r == SocketLayer.PENDING) unregistered.add(p);   // looked at once after the batch, watched only if still waiting
        else answered(p, r, clockUs.getAsLong(), sink);
    }

    /** A probe's answer: {@link SocketLayer#CONNECTED} or an errno. */
    private void answered(Probe p, int r, long now, Sink sink) {
        switch (r) {
            case SocketLayer.CONNECTED -> {
                if (io.connectedToItself(p)) selfConnected(p, now, sink);
                else finish(p, r, PortState.OPEN, Reasons.SYN_ACK, now, true, sink);
            }
            case SocketLayer.ECONNREFUSED -> finish(p, r, PortState.CLOSED, Reasons.CONN_REFUSED, now, true, sink);
            // ECONNRESET comes only from an established connection (a RST in SYN-SENT is
            // ECONNREFUSED): the handshake completed and the service reset it before we looked
            // (an accept-then-reset service, found by the hostile lab test)
            case SocketLayer.ECONNRESET -> finish(p, r, PortState.OPEN, Reasons.SYN_ACK, now, true, sink);
            case SocketLayer.EHOSTUNREACH -> finish(p, r, PortState.FILTERED, Reasons.HOST_UNREACH, now, true, sink);
            case SocketLayer.ENETUNREACH -> finish(p, r, PortState.FILTERED, Reasons.NET_UNREACH, now, true, sink);
            case SocketLayer.EACCES, SocketLayer.EPERM -> finish(p, r, PortState.FILTERED, Reasons.ADMIN_PROHIBITED, now, true, sink);
            case SocketLayer.ENOPROTOOPT -> finish(p, r, PortState.FILTERED, Reasons.PROTO_UNREACH, now, true, sink);
            case SocketLayer.ETIMEDOUT -> finish(p, r, PortState.FILTERED, Reasons.NO_RESPONSE, now, false, sink);
            // EINVAL (blackhole route), EHOSTDOWN...: no answer will come
            default -> finish(p, r, PortState.FILTERED, Reasons.ERROR, now, false, sink);
        }
    }

    private void close(Probe p, int outcome) {
        if (p.holds) {
            p.holds = false;
            io.release(p, outcome);
            globalInflight--;
            p.job.inflightCount--;
            if (!p.stale) {
                p.stale = true;
                p.job.freshCount--;
            }
        }
    }

    private void finish(Probe p, int outcome, PortState state, String reason, long now, boolean reply, Sink sink) {
        if (p.done) return;
        p.done = true;
        // an accepted connection is closed with a RST: the device frees it at once (device safety)
        close(p, outcome);
        Job j = p.job;
        if (reply) {
            // an answer that needed the kernel's own SYN retransmission (IPv6 ICMP errors, see
            // V6_LINGER_US) is neither an RTT sample nor a sign of loss
            boolean kernelRetransmit = p.lingering && now - p.sentUs >= j.timing.timeoutUs();
            if (!kernelRetransmit) j.timing.onReply(p.sentUs, now, p.tryNo, j.inflightCount + 1);
            j.anyReply = true;
        }
        j.decided++;
        sink.decided(j, p.port, state, reason);
        if (j.stopOnFirstReply && reply) {
            j.finished = true;
        }
    }

    /**
     * The probe's socket connected to itself (a ghost "open": nothing listens): closed at once and
     * the port probed again with a new socket, the kernel choosing another source port. Not an RTT
     * sample: no packet reached a listener.
     */
    private void selfConnected(Probe p, long now, Sink sink) {
        p.done = true;
        close(p, SocketLayer.CONNECTED);
        selfConnects++;
        Job j = p.job;
        if (p.selfConnects + 1 < MAX_SELF_CONNECTS) {
            j.retries.addFirst(new int[] {p.port, p.tryNo, p.selfConnects + 1});
        } else {
            j.decided++;
            sink.decided(j, p.port, PortState.FILTERED, Reasons.ERROR);
        }
    }

    private void silent(Probe p, long now, Sink sink) {
        p.done = true;
        Job j = p.job;
        int inflightBefore = j.inflightCount;
        close(p, SocketLayer.PENDING);
        j.timing.onSilence(p.sentUs, now, inflightBefore);
        if (p.tryNo < j.timing.allowedRetries()) {
            j.retries.add(new int[] {p.port, p.tryNo + 1});
        } else {
            if (p.tryNo >= 1) j.timing.onFiltered(now);
            j.decided++;
            sink.decided(j, p.port, PortState.FILTERED, Reasons.NO_RESPONSE);
        }
    }

    private void abort(Job j) {
        for (ArrayDeque<Probe> q : List.of(j.inflight, j.lingering)) {
            for (Probe p : q) {
                if (!p.done) {
                    p.done = true;
                    close(p, SocketLayer.PENDING);
                }
            }
            q.clear();
        }
        j.finished = true;
    }

    /** Probes of the last run that connected to themselves and were probed again. */
    public int selfConnects() {
        return selfConnects;
    }

    public long sent() {
        return sent;
    }

    /** The socket layer of the last run: "nio" or "native" (empty before any run). */
    public String socketLayer() {
        return ioName;
    }
}
