package io.portaudit.scan;

import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.PrimitiveIterator;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * UDP scan: one connected {@link DatagramChannel} per probe, so the kernel delivers an ICMP
 * port-unreachable as {@link PortUnreachableException} (closed/port-unreach); any datagram back is
 * open/udp-response; silence after the retransmission is open|filtered/no-response; ICMP
 * host/net/admin unreachable is filtered. Probes carry the payload of {@link UdpPayloads}.
 *
 * <p>Pacing: first tries go out at the window's pace (their silence is never trusted); a silent
 * port is retried only when the {@link IcmpPacer} says the target has an ICMP token for it, and
 * first tries and retries never overlap (a first try to a closed port would take the token a retry
 * reserved). So the target's ICMP rate limit, not blind retries, decides how long a UDP scan takes.
 */
public final class UdpEngine {
    public static final int MAX_REPLY = 2048;

    public interface Sink {
        void decided(Job job, int port, PortState state, String reason, String reply);
    }

    public static final class Job {
        final InetAddress address;
        final PrimitiveIterator.OfInt cursor;
        final HostTiming timing;
        final IcmpPacer pacer = new IcmpPacer();
        final long deadlineUs;
        final ArrayDeque<Probe> inflight = new ArrayDeque<>();
        final ArrayDeque<int[]> retries = new ArrayDeque<>();
        int inflightCount, firstInFlight, retriesInFlight;
        boolean timedOut, finished;
        public final Object owner;

        public Job(InetAddress address, PortSet ports, HostTiming timing, long deadlineUs, Object owner) {
            this.address = address;
            this.cursor = java.util.Arrays.stream(TcpConnectEngine.Job.shuffle(ports, address, PortFrequencies.FALLBACK_UDP)).iterator();
            this.timing = timing;
            this.deadlineUs = deadlineUs;
            this.owner = owner;
        }

        public boolean timedOut() { return timedOut; }
        public IcmpPacer pacer() { return pacer; }

        boolean hasWork() {
            return !finished && (cursor.hasNext() || !retries.isEmpty() || inflightCount > 0);
        }
    }

    static final class Probe {
        final Job job;
        final int port, tryNo;
        final long sentUs;
        final boolean reserved;
        DatagramChannel ch;
        boolean done;

        Probe(Job job, int port, int tryNo, long sentUs, boolean reserved) {
            this.job = job;
            this.port = port;
            this.tryNo = tryNo;
            this.sentUs = sentUs;
            this.reserved = reserved;
        }
    }

    private final LongSupplier clockUs;
    private final int fdBudget;
    private final RateLimiter maxRate;
    private final BooleanSupplier stop;
    private int globalInflight;
    private final ByteBuffer buf = ByteBuffer.allocate(MAX_REPLY);

    public UdpEngine(LongSupplier clockUs, int fdBudget, double maxRate, BooleanSupplier stop) {
        this.clockUs = clockUs;
        this.fdBudget = fdBudget;
        this.maxRate = new RateLimiter(maxRate);
        this.stop = stop;
    }

    public void run(Iterator<Job> jobs, int parallel, Sink sink, Consumer<Job> done) throws IOException {
        ArrayDeque<Job> active = new ArrayDeque<>();
        try (Selector selector = Selector.open()) {
            while (true) {
                if (stop.getAsBoolean()) {
                    for (Job j : active) abort(j);
                    return;
                }
                while (active.size() < parallel && jobs.hasNext()) active.add(jobs.next());
                if (active.isEmpty()) return;
                long now = clockUs.getAsLong();
                long wakeUs = now + 50_000;
                for (Job j : active) {
                    while (globalInflight < fdBudget && j.inflightCount < j.timing.template().maxParallelism()) {
                        if (maxRate.waitUs(now) > 0) {
                            wakeUs = Math.min(wakeUs, now + Math.max(100, maxRate.waitUs(now)));
                            break;
                        }
                        int[] r;
                        boolean reserved = false;
                        if (!j.retries.isEmpty() && j.firstInFlight == 0) {
                            if (!j.pacer.mayRetry(now)) {
                                wakeUs = Math.min(wakeUs, now + Math.max(1000, j.pacer.waitUs(now)));
                                if (j.retriesInFlight > 0 || !j.cursor.hasNext()) break;
                                r = new int[] {j.cursor.nextInt(), 0};  // no token yet: keep first tries going meanwhile
                            } else {
                                r = j.retries.poll();
                                reserved = true;
                            }
                        } else if (j.cursor.hasNext() && j.retriesInFlight == 0) {
                            r = new int[] {j.cursor.nextInt(), 0};
                        } else {
                            break;
                        }
                        maxRate.tryAcquire(now);
                        send(selector, j, r[0], r[1], reserved, now, sink);
                    }
                    Probe head = firstLive(j);
                    if (head != null) wakeUs = Math.min(wakeUs, head.sentUs + j.timing.timeoutUs());
                }
                long waitMs = Math.max(0, (wakeUs - clockUs.getAsLong() + 999) / 1000);
                int n = waitMs == 0 ? selector.selectNow() : selector.select(Math.min(waitMs, 50));
                if (n > 0) {
                    now = clockUs.getAsLong();
                    for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey key = it.next();
                        it.remove();
                        Probe p = (Probe) key.attachment();
                        if (p.done) continue;
                        try {
                            buf.clear();
                            int got = p.ch.read(buf);
                            if (got >= 0) {
                                byte[] b = new byte[buf.position()];
                                buf.flip();
                                buf.get(b);
                                if (p.reserved) p.job.pacer.refund(now);
                                finish(p, PortState.OPEN, Reasons.UDP_RESPONSE, now, Banner.latin1(b), sink);
                            }
                        } catch (PortUnreachableException e) {
                            p.job.pacer.unreachable(p.reserved, now);
                            finish(p, PortState.CLOSED, Reasons.PORT_UNREACH, now, null, sink);
                        } catch (IOException e) {
                            if (p.reserved) p.job.pacer.refund(now);
                            String m = String.valueOf(e.getMessage());
                            String reason = m.contains("No route") ? Reasons.HOST_UNREACH
                                    : m.contains("Network is unreachable") ? Reasons.NET_UNREACH
                                    : m.contains("Permission denied") ? Reasons.ADMIN_PROHIBITED : Reasons.ERROR;
                            finish(p, PortState.FILTERED, reason, now, null, sink);
                        }
                    }
                }
                now = clockUs.getAsLong();
                for (Iterator<Job> it = active.iterator(); it.hasNext(); ) {
                    Job j = it.next();
                    if (j.deadlineUs > 0 && now >= j.deadlineUs && !j.finished) {
                        j.timedOut = true;
                        abort(j);
                    }
                    Probe p;
                    while ((p = firstLive(j)) != null && now - p.sentUs >= j.timing.timeoutUs()) silent(p, now, sink);
                    if (!j.hasWork()) {
                        abort(j);
                        it.remove();
                        done.accept(j);
                    }
                }
            }
        }
    }

    private static Probe firstLive(Job j) {
        Probe p;
        while ((p = j.inflight.peek()) != null && p.done) j.inflight.poll();
        return p;
    }

    private void send(Selector selector, Job j, int port, int tryNo, boolean reserved, long now, Sink sink) {
        Probe p = new Probe(j, port, tryNo, now, reserved);
        if (reserved) j.pacer.reserve(now);
        try {
            DatagramChannel ch = DatagramChannel.open(j.address instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
            p.ch = ch;
            globalInflight++;
            j.inflightCount++;
            if (tryNo == 0) j.firstInFlight++;
            else j.retriesInFlight++;
            j.inflight.add(p);
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress(j.address, port));
            ch.write(ByteBuffer.wrap(UdpPayloads.forPort(port, tryNo)));
            ch.register(selector, SelectionKey.OP_READ, p);
        } catch (PortUnreachableException e) {
            j.pacer.unreachable(reserved, now);
            finish(p, PortState.CLOSED, Reasons.PORT_UNREACH, now, null, sink);
        } catch (IOException e) {
            if (reserved) j.pacer.refund(now);
            if (p.ch == null) {
                if (tryNo == 0) j.retries.addFirst(new int[] {port, 0});
                else j.retries.addFirst(new int[] {port, tryNo});
                return;
            }
            String m = String.valueOf(e.getMessage());
            finish(p, PortState.FILTERED, m.contains("No route") ? Reasons.HOST_UNREACH
                    : m.contains("Network is unreachable") ? Reasons.NET_UNREACH : Reasons.ERROR, now, null, sink);
        }
    }

    private void close(Probe p) {
        if (p.ch != null) {
            try {
                p.ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            p.ch = null;
            globalInflight--;
            p.job.inflightCount--;
            if (p.tryNo == 0) p.job.firstInFlight--;
            else p.job.retriesInFlight--;
        }
    }

    private void finish(Probe p, PortState s, String reason, long now, String reply, Sink sink) {
        if (p.done) return;
        p.done = true;
        close(p);
        p.job.timing.onReply(p.sentUs, now, p.tryNo);
        sink.decided(p.job, p.port, s, reason, reply);
    }

    private void silent(Probe p, long now, Sink sink) {
        p.done = true;
        Job j = p.job;
        close(p);
        if (p.reserved) j.pacer.refund(now);
        // a silence earns retries (the last ones with a reserved ICMP token); it shrinks nothing
        int allowed = Math.min(j.timing.template().maxRetries(), Math.max(1, j.timing.allowedRetries()));
        if (p.tryNo < allowed) {
            j.retries.add(new int[] {p.port, p.tryNo + 1});
        } else {
            sink.decided(j, p.port, PortState.OPEN_FILTERED, Reasons.NO_RESPONSE, null);
        }
    }

    private void abort(Job j) {
        for (Probe p : j.inflight) {
            if (!p.done) {
                p.done = true;
                close(p);
            }
        }
        j.inflight.clear();
        j.finished = true;
    }
}
