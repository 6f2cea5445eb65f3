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
import java.util.HashSet;
import java.util.Iterator;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * UDP scan: one connected {@link DatagramChannel} per probe, so the kernel delivers an ICMP
 * port-unreachable as {@link PortUnreachableException} (closed/port-unreach); any datagram back is
 * open/udp-response; silence after the retransmissions is open|filtered/no-response; ICMP
 * host/net/admin unreachable is filtered. Each host's sending is paced by an {@link IcmpPacer}.
 * Probes carry the protocol payload of {@link UdpPayloads} for the port so open services answer.
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
        final Set<Integer> silentOnce = new HashSet<>();
        int inflightCount;
        long nextRetryUs;
        long startUs = -1;
        boolean unreachSeen;
        boolean timedOut, finished;
        public final Object owner;

        public Job(InetAddress address, PortSet ports, HostTiming timing, long deadlineUs, Object owner) {
            this.address = address;
            this.cursor = ports.iterator();
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
        final IcmpPacer.Permit permit;
        DatagramChannel ch;
        boolean done;

        Probe(Job job, int port, int tryNo, long sentUs, IcmpPacer.Permit permit) {
            this.job = job;
            this.port = port;
            this.tryNo = tryNo;
            this.sentUs = sentUs;
            this.permit = permit;
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
                    while (globalInflight < fdBudget && j.inflightCount < j.timing.template().maxParallelism()
                            && (j.cursor.hasNext() || !j.retries.isEmpty())) {
                        IcmpPacer.Permit permit = j.pacer.permit(now);
                        if (permit == IcmpPacer.Permit.NONE) {
                            wakeUs = Math.min(wakeUs, now + Math.max(1000, j.pacer.waitUs(now)));
                            break;
                        }
                        if (maxRate.waitUs(now) > 0) {
                            wakeUs = Math.min(wakeUs, now + Math.max(100, maxRate.waitUs(now)));
                            break;
                        }
                        // a retry confirms a silence: it must find an ICMP token at the target, so it goes
                        // only with a paced permit and at most one per token period (the target's bucket may
                        // have been empty when the first try arrived)
                        // (once a token period has passed with no port-unreachable at all, the target sends none
                        // and retries need no spacing)
                        if (j.startUs < 0) j.startUs = now;
                        long period = (long) (1e6 / j.pacer.rate());
                        boolean spaced = j.unreachSeen || now - j.startUs < period;
                        boolean retryDue = !j.retries.isEmpty() && permit == IcmpPacer.Permit.PACED
                                && (!spaced || now >= j.nextRetryUs);
                        int[] r;
                        if (retryDue) {
                            r = j.retries.poll();
                            j.nextRetryUs = now + period;
                        } else if (j.cursor.hasNext()) {
                            r = new int[] {j.cursor.nextInt(), 0};
                        } else {
                            wakeUs = Math.min(wakeUs, Math.max(now + 1000, Math.min(j.nextRetryUs, j.startUs + period)));
                            break;
                        }
                        maxRate.tryAcquire(now);
                        send(selector, j, r[0], r[1], permit, now, sink);
                        if (permit == IcmpPacer.Permit.EXPLORE) break;
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
                                p.job.pacer.noIcmp(p.permit, now);
                                finish(p, PortState.OPEN, Reasons.UDP_RESPONSE, now, Banner.latin1(b), sink);
                            }
                        } catch (PortUnreachableException e) {
                            p.job.unreachSeen = true;
                            p.job.pacer.unreachable(p.permit, now);
                            if (p.job.silentOnce.contains(p.port)) p.job.pacer.limitSeen();
                            finish(p, PortState.CLOSED, Reasons.PORT_UNREACH, now, null, sink);
                        } catch (IOException e) {
                            p.job.pacer.noIcmp(p.permit, now);
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

    private void send(Selector selector, Job j, int port, int tryNo, IcmpPacer.Permit permit, long now, Sink sink) {
        Probe p = new Probe(j, port, tryNo, now, permit);
        try {
            DatagramChannel ch = DatagramChannel.open(j.address instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
            p.ch = ch;
            globalInflight++;
            j.inflightCount++;
            j.inflight.add(p);
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress(j.address, port));
            ch.write(ByteBuffer.wrap(UdpPayloads.forPort(port, tryNo)));
            j.pacer.sent(permit, now);
            ch.register(selector, SelectionKey.OP_READ, p);
        } catch (PortUnreachableException e) {
            j.unreachSeen = true;
            j.pacer.sent(permit, now);
            j.pacer.unreachable(permit, now);
            finish(p, PortState.CLOSED, Reasons.PORT_UNREACH, now, null, sink);
        } catch (IOException e) {
            if (p.ch == null) {
                j.retries.addFirst(new int[] {port, tryNo});
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
        j.pacer.noIcmp(p.permit, now);
        // silence is common for UDP (open|filtered): it does not shrink anything, it earns one retry
        int allowed = Math.min(j.timing.template().maxRetries(), Math.max(2, j.timing.allowedRetries()));
        if (p.tryNo < allowed) {
            j.silentOnce.add(p.port);
            j.retries.add(new int[] {p.port, p.tryNo + 1});
        } else {
            j.silentOnce.remove(p.port);
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
