package io.portaudit.scan;

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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
 * <p>TFTP (port {@value #TFTP_PORT}) is the one exception to "the answer comes from the probed
 * port": an RFC 1350 server answers a read request from a new port of its own (its transfer id),
 * which a connected socket never sees. Its probe gets a second, unconnected socket on the same
 * local port that takes a TFTP DATA or ERROR from the target's address on any port (see
 * {@link #tftpListener}).
 *
 * <p>Pacing: first tries go out at the window's pace (their silence is never trusted); a silent
 * port is retried only when the {@link IcmpPacer} says the target has an ICMP token for it, and
 * first tries and retries never overlap (a first try to a closed port would take the token a retry
 * reserved). So the target's ICMP rate limit, not blind retries, decides how long a UDP scan takes.
 *
 * <p>Retries go in batches, one reserved token per batch: the target spends ICMP tokens only on
 * closed ports, in the order the datagrams arrive, so if a batch sent while it had a token comes
 * back all silent, none of its ports is closed — the first closed one would have found the token.
 * A batch in which any port answered port-unreachable proves nothing about its silent ports (the
 * token may have gone to the closed one): they are retried in a later batch. A host whose ports are
 * all silent is thus finished with one token per batch instead of one per port.
 */
public final class UdpEngine {
    public static final int MAX_REPLY = 2048;
    /** The TFTP port: its server answers from another port (RFC 1350 §4). */
    public static final int TFTP_PORT = 69;

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

        /** A job for exactly these ports, probed in the order given. */
        public Job(InetAddress address, int[] ports, HostTiming timing, long deadlineUs, Object owner) {
            this.address = address;
            this.cursor = java.util.Arrays.stream(ports).iterator();
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
        /** The retries sent together under one reserved ICMP token; null for a first try. */
        final Batch batch;
        DatagramChannel ch;
        /** TFTP only: the unconnected socket on ch's local port that takes the answer from the server's new port. */
        DatagramChannel any;
        boolean done;

        Probe(Job job, int port, int tryNo, long sentUs, Batch batch) {
            this.job = job;
            this.port = port;
            this.tryNo = tryNo;
            this.sentUs = sentUs;
            this.batch = batch;
        }
    }

    /** Retries covered by one token: certified silent only if no member answered port-unreachable. */
    static final class Batch {
        int pending;
        boolean tokenSpent;
        final List<Probe> silent = new ArrayList<>();
    }

    private final LongSupplier clockUs;
    private final int fdBudget;
    private final RateLimiter maxRate;
    private final BooleanSupplier stop;
    private int globalInflight;
    private int selfConnects;

    /** Probes of the last run whose socket got the target's own port as its source port (then replaced). */
    public int selfConnects() {
        return selfConnects;
    }
    private final ByteBuffer buf = ByteBuffer.allocate(MAX_REPLY);
    /** The port probed as TFTP: {@link #TFTP_PORT}; another one only in tests (binding 69 needs privilege). */
    int tftpPort = TFTP_PORT;

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
                        if (!j.retries.isEmpty() && j.firstInFlight == 0) {
                            if (j.retriesInFlight > 0) break;   // one batch at a time
                            if (!j.pacer.mayRetry(now)) {
                                wakeUs = Math.min(wakeUs, now + Math.max(1000, j.pacer.waitUs(now)));
                                if (!j.cursor.hasNext()) break;
                                // no token yet: keep first tries going meanwhile
                                maxRate.tryAcquire(now);
                                send(selector, j, j.cursor.nextInt(), 0, null, now, sink);
                                continue;
                            }
                            // a batch: as many retries as the window allows, under one reserved token
                            Batch b = new Batch();
                            j.pacer.reserve(now);
                            int room = Math.min(fdBudget - globalInflight, j.timing.template().maxParallelism() - j.inflightCount);
                            List<int[]> members = new ArrayList<>();
                            while (!j.retries.isEmpty() && members.size() < Math.max(1, room)) members.add(j.retries.poll());
                            b.pending = members.size();
                            for (int[] r : members) {
                                maxRate.tryAcquire(now);
                                send(selector, j, r[0], r[1], b, now, sink);
                            }
                            break;
                        } else if (j.cursor.hasNext() && j.retriesInFlight == 0) {
                            maxRate.tryAcquire(now);
                            send(selector, j, j.cursor.nextInt(), 0, null, now, sink);
                        } else {
                            break;
                        }
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
                        if (key.channel() == p.any) {
                            byte[] b = tftpAnswer(p);
                            if (b != null) finish(p, PortState.OPEN, Reasons.UDP_RESPONSE, now, Banner.latin1(b), sink);
                            continue;
                        }
                        try {
                            buf.clear();
                            int got = p.ch.read(buf);
                            if (got >= 0) {
                                byte[] b = new byte[buf.position()];
                                buf.flip();
                                buf.get(b);
                                finish(p, PortState.OPEN, Reasons.UDP_RESPONSE, now, Banner.latin1(b), sink);
                            }
                        } catch (PortUnreachableException e) {
                            unreachable(p, now);
                            finish(p, PortState.CLOSED, Reasons.PORT_UNREACH, now, null, sink);
                        } catch (IOException e) {
                            // another ICMP error: the target (or a router) may have spent a token on it
                            if (p.batch != null) p.batch.tokenSpent = true;
                            finish(p, PortState.FILTERED, filteredReason(e, true), now, null, sink);
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

    /** A port-unreachable: the first in a batch spends the batch's reserved token, any other one a token of its own. */
    private static void unreachable(Probe p, long now) {
        Batch b = p.batch;
        boolean reserved = b != null && !b.tokenSpent;
        if (b != null) b.tokenSpent = true;
        p.job.pacer.unreachable(reserved, now);
    }

    private void send(Selector selector, Job j, int port, int tryNo, Batch batch, long now, Sink sink) {
        Probe p = new Probe(j, port, tryNo, now, batch);
        try {
            DatagramChannel any = port == tftpPort ? tftpListener(j) : null, ch;
            try {
                ch = DatagramChannel.open(family(j));
            } catch (IOException e) {
                if (any != null) any.close();
                throw e;
            }
            p.ch = ch;
            p.any = any;
            globalInflight++;
            j.inflightCount++;
            if (tryNo == 0) j.firstInFlight++;
            else j.retriesInFlight++;
            j.inflight.add(p);
            ch.configureBlocking(false);
            InetSocketAddress target = new InetSocketAddress(j.address, port);
            if (any != null) shareTftpPort(ch, any);
            ch.connect(target);
            // on a local address the kernel may pick the destination port as the source port: the
            // socket would then read its own probe back as an answer (a ghost "open"). A new socket
            // gets another port; a few in a row are bounded, then the port's state is unknown.
            for (int again = 0; target.equals(ch.getLocalAddress()); again++) {
                ch.close();
                selfConnects++;
                if (again == TcpConnectEngine.MAX_SELF_CONNECTS - 1) {
                    finish(p, PortState.FILTERED, Reasons.ERROR, now, null, sink);
                    return;
                }
                ch = DatagramChannel.open(family(j));
                p.ch = ch;
                ch.configureBlocking(false);
                if (p.any != null) {
                    p.any.close();
                    p.any = tftpListener(j);
                    shareTftpPort(ch, p.any);
                }
                ch.connect(target);
            }
            ch.write(ByteBuffer.wrap(UdpPayloads.forPort(port, tryNo)));
            ch.register(selector, SelectionKey.OP_READ, p);
            if (p.any != null) p.any.register(selector, SelectionKey.OP_READ, p);
        } catch (PortUnreachableException e) {
            unreachable(p, now);
            finish(p, PortState.CLOSED, Reasons.PORT_UNREACH, now, null, sink);
        } catch (IOException e) {
            if (p.ch == null) {
                // no socket (descriptor limit): not sent; back to the queue, out of its batch
                j.retries.addFirst(new int[] {port, tryNo});
                if (batch != null) batchMemberDone(p, now, sink);
                return;
            }
            if (batch != null) batch.tokenSpent = true;
            finish(p, PortState.FILTERED, filteredReason(e, false), now, null, sink);
        }
    }

    private static java.net.ProtocolFamily family(Job j) {
        return j.address instanceof java.net.Inet6Address ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET;
    }

    /**
     * For a TFTP probe: an unconnected socket that takes the server's answer from its new port; the
     * probe's connected socket then shares its local port ({@link #shareTftpPort}). RFC 1350 §4: the
     * server answers a read request (DATA, or ERROR) from a transfer id of its own, a new port;
     * dnsmasq does so. A socket connected to port 69 never sees that answer (the kernel matches it
     * to no socket and the server gets a port-unreachable), so a TFTP server that serves files would
     * look silent (open|filtered) and its unauthenticated read could not be shown. nmap does the
     * same: its tftp-enum script sends the read request from a connected socket, binds a second
     * socket to that local port, takes the answer from whatever port it comes and sets the port open.
     * Here the answer must also come from the target's address and be a TFTP DATA or ERROR (see
     * {@link #tftpAnswer}); it is read like every reply (at most {@link #MAX_REPLY} bytes, within the
     * probe's timeout) and makes the port open (udp-response). The connected socket stays: it still
     * gets an answer from port 69 itself and the ICMP port-unreachable of a closed port (an
     * unconnected socket is told of no ICMP error). The server's transfer is not acknowledged: when
     * the probe's sockets close, its next retransmission gets a port-unreachable and it gives up.
     *
     * <p>The listener takes its port alone (no SO_REUSEADDR at bind, so the kernel gives it a port no
     * other socket holds) and only then allows sharing it.
     */
    private static DatagramChannel tftpListener(Job j) throws IOException {
        DatagramChannel any = DatagramChannel.open(family(j));
        try {
            any.configureBlocking(false);
            any.bind(null);
            any.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            return any;
        } catch (IOException e) {
            any.close();
            throw e;
        }
    }

    /**
     * Binds the (not yet connected) probe socket to the TFTP listener's port. For a datagram from the
     * target's port 69 the connected socket is the kernel's better match, for one from any other port
     * the listener is the only one.
     */
    private static void shareTftpPort(DatagramChannel ch, DatagramChannel any) throws IOException {
        ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        ch.bind(any.getLocalAddress());   // the listener's wildcard address and port, of the probe's family
    }

    /**
     * A datagram on a TFTP probe's listener: its bytes when it is a TFTP DATA (opcode 3) or ERROR
     * (opcode 5) from the target's address, else null (read and dropped: whatever else reaches that
     * port proves nothing about the target's port 69).
     */
    private byte[] tftpAnswer(Probe p) {
        try {
            buf.clear();
            java.net.SocketAddress from = p.any.receive(buf);
            if (!(from instanceof InetSocketAddress a)
                    || !java.util.Arrays.equals(a.getAddress().getAddress(), p.job.address.getAddress())) return null;
            buf.flip();
            if (buf.remaining() < 4 || buf.get(0) != 0 || (buf.get(1) != 3 && buf.get(1) != 5)) return null;
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            return b;
        } catch (IOException e) {
            return null;   // the connected socket still decides
        }
    }

    /**
     * The reason of a failed probe, from the socket error's strerror text. {@code answered}: the
     * error came back from the network (a read), where "Permission denied" is an ICMP
     * administratively-prohibited; at send time it is a local refusal, reported as an error.
     */
    private static String filteredReason(IOException e, boolean answered) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No route") ? Reasons.HOST_UNREACH
                : m.contains("Network is unreachable") ? Reasons.NET_UNREACH
                : answered && m.contains("Permission denied") ? Reasons.ADMIN_PROHIBITED : Reasons.ERROR;
    }

    private void close(Probe p) {
        if (p.any != null) {
            try {
                p.any.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            p.any = null;
        }
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
        if (p.batch != null) batchMemberDone(p, now, sink);
    }

    private void silent(Probe p, long now, Sink sink) {
        p.done = true;
        close(p);
        if (p.batch != null) {
            p.batch.silent.add(p);
            batchMemberDone(p, now, sink);
        } else {
            silentDecided(p, sink);
        }
    }

    /** A silence that counts: more retries, or open|filtered. It shrinks nothing. */
    private static void silentDecided(Probe p, Sink sink) {
        Job j = p.job;
        int allowed = Math.min(j.timing.template().maxRetries(), Math.max(1, j.timing.allowedRetries()));
        if (p.tryNo < allowed) {
            j.retries.add(new int[] {p.port, p.tryNo + 1});
        } else {
            sink.decided(j, p.port, PortState.OPEN_FILTERED, Reasons.NO_RESPONSE, null);
        }
    }

    /** When the last member of a batch is done: its silent members count only if no member spent the token. */
    private void batchMemberDone(Probe p, long now, Sink sink) {
        Batch b = p.batch;
        if (--b.pending > 0) return;
        Job j = p.job;
        if (!b.tokenSpent) {
            j.pacer.refund(now);
            for (Probe s : b.silent) silentDecided(s, sink);
        } else {
            // the token may have gone to a closed member: the silent ones prove nothing yet
            for (Probe s : b.silent) j.retries.add(new int[] {s.port, s.tryNo});
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
