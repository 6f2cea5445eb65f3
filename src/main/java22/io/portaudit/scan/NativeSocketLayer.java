package io.portaudit.scan;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * {@link SocketLayer} on the kernel's own calls (Linux, JDK 22+, through {@code java.lang.foreign}).
 * Compiled separately at release 22 ({@code src/main/java22}) and loaded by name only on a JDK that
 * has the API, so the rest of portaudit still runs on Java 21.
 *
 * <p>Per port: {@code socket(SOCK_NONBLOCK)} and {@code connect} to start; a second
 * {@code connect} on the same socket to look (Linux answers 0 once connected, EALREADY while
 * waiting, else the connect's error — and that call also returns a refused socket to the
 * unconnected state); {@code epoll_ctl} only for probes still waiting. A refused socket is not
 * closed but used for the next probe: a refused port on a fast link costs two system calls, where
 * NIO needs seven. An established connection is reset ({@code SO_LINGER} 0) and closed.
 */
final class NativeSocketLayer implements SocketLayer {
    private static final int AF_INET = 2, AF_INET6 = 10, SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1, SO_ERROR = 4, SO_LINGER = 13;
    private static final int EPOLL_CLOEXEC = 0x80000, EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLLOUT = 0x004;
    private static final int EINTR = 4, EINPROGRESS = 115, EALREADY = 114, EISCONN = 106, ECONNABORTED = 103;
    private static final int MAX_EVENTS = 256;

    /** struct epoll_event: packed on x86-64 (12 bytes), naturally aligned elsewhere (16). */
    private static final boolean X86 = System.getProperty("os.arch", "").matches("amd64|x86_64");
    private static final long EVENT_SIZE = X86 ? 12 : 16, EVENT_DATA = X86 ? 4 : 8;
    private static final ValueLayout.OfShort PORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt ADDR4 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * The C library's functions, bound on first use: only after the constructor has checked that
     * native access is enabled (binding them is what the JDK warns about otherwise).
     */
    private static final class C {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle SOCKET, CONNECT, BIND, GETSOCKNAME, CLOSE, SETSOCKOPT, GETSOCKOPT, EPOLL_CREATE1, EPOLL_CTL, EPOLL_WAIT;

        static {
            var libc = LINKER.defaultLookup();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            SOCKET = LINKER.downcallHandle(libc.find("socket").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), errno);
            CONNECT = LINKER.downcallHandle(libc.find("connect").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
            BIND = LINKER.downcallHandle(libc.find("bind").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
            GETSOCKNAME = LINKER.downcallHandle(libc.find("getsockname").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
            CLOSE = LINKER.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            SETSOCKOPT = LINKER.downcallHandle(libc.find("setsockopt").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
            GETSOCKOPT = LINKER.downcallHandle(libc.find("getsockopt").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
            EPOLL_CREATE1 = LINKER.downcallHandle(libc.find("epoll_create1").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
            EPOLL_CTL = LINKER.downcallHandle(libc.find("epoll_ctl").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), errno);
            EPOLL_WAIT = LINKER.downcallHandle(libc.find("epoll_wait").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno);
        }
    }

    /** Confined: the engine thread that opens this layer is the only one that uses and closes it. */
    private final Arena arena;
    private final MemorySegment state, sa4, sa6, local, localLen, event, events, linger, soerr, soerrLen;
    private InetAddress last4, last6;
    private final int epfd;
    /** The probe behind each descriptor that has one. */
    private TcpConnectEngine.Probe[] byFd = new TcpConnectEngine.Probe[1024];
    /** Refused sockets kept for the next probes, per family. */
    private final int[] spare4, spare6;
    private int nSpare4, nSpare6;
    private boolean closed;

    NativeSocketLayer(int fdBudget) throws IOException {
        if (!NativeSocketLayer.class.getModule().isNativeAccessEnabled()) {
            throw new UnsupportedOperationException("native access is not enabled (java --enable-native-access=ALL-UNNAMED)");
        }
        if (!System.getProperty("os.arch", "").matches("amd64|x86_64|aarch64")) {
            throw new UnsupportedOperationException("untested architecture " + System.getProperty("os.arch"));
        }
        arena = Arena.ofConfined();
        state = arena.allocate(C.CALL_STATE);
        sa4 = arena.allocate(16, 8);
        sa6 = arena.allocate(28, 8);
        local = arena.allocate(28, 8);
        localLen = arena.allocate(4, 4);
        event = arena.allocate(16, 8);
        events = arena.allocate(EVENT_SIZE * MAX_EVENTS, 8);
        linger = arena.allocate(8, 4);
        soerr = arena.allocate(4, 4);
        soerrLen = arena.allocate(4, 4);
        int ep = call(C.EPOLL_CREATE1, EPOLL_CLOEXEC);
        if (ep < 0) throw new IOException("epoll_create1: errno " + errno());
        this.epfd = ep;
        // a quarter of the budget at most, and none when it is tiny (tests with a budget of 3)
        int keep = fdBudget >= 64 ? Math.min(128, fdBudget / 8) : 0;
        spare4 = new int[keep];
        spare6 = new int[keep];
        linger.set(JAVA_INT, 0, 1);
        linger.set(JAVA_INT, 4, 0);
    }

    @Override
    public int start(TcpConnectEngine.Probe p, InetAddress address, int port) throws IOException {
        boolean v6 = address instanceof Inet6Address;
        MemorySegment sa = sockaddr(address, port, v6);
        int fd;
        boolean reused;
        if (p.localPort == 0 && (v6 ? nSpare6 > 0 : nSpare4 > 0)) {
            fd = v6 ? spare6[--nSpare6] : spare4[--nSpare4];
            reused = true;
        } else {
            fd = socket(v6 ? AF_INET6 : AF_INET);
            if (fd < 0) throw new IOException("socket: errno " + errno());
            reused = false;
        }
        p.fd = fd;
        if (fd >= byFd.length) byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        byFd[fd] = p;
        if (p.localPort != 0) {
            // tests only: the local port chosen (the target's address, so a self-connect can be made at will)
            sa.set(PORT, 2, (short) p.localPort);
            int b = call(C.BIND, fd, sa, v6 ? 28 : 16);
            int berr = b == 0 ? 0 : errno();
            sa.set(PORT, 2, (short) port);
            if (b != 0) return berr;
        }
        int rc = connect(fd, sa, v6);
        int err = rc == 0 ? 0 : errno();
        if (rc != 0 && reused && err == ECONNABORTED) {
            // the socket still carried the end of its last connect: that call cleared it
            rc = connect(fd, sa, v6);
            err = rc == 0 ? 0 : errno();
        }
        if (rc == 0) return CONNECTED;
        return err == EINPROGRESS ? PENDING : err;
    }

    @Override
    public boolean connectedToItself(TcpConnectEngine.Probe p) {
        localLen.set(JAVA_INT, 0, 28);
        if (call(C.GETSOCKNAME, p.fd, local, localLen) != 0) return false;
        if ((local.get(PORT, 2) & 0xffff) != p.port) return false;
        byte[] target = p.job.base.getAddress().getAddress();
        int off = target.length == 4 ? 4 : 8;
        int family = local.get(JAVA_SHORT_UNALIGNED, 0);
        if (family != (target.length == 4 ? AF_INET : AF_INET6)) return false;
        for (int i = 0; i < target.length; i++) {
            if (local.get(JAVA_BYTE, off + i) != target[i]) return false;
        }
        return true;
    }

    @Override
    public int check(TcpConnectEngine.Probe p) {
        boolean v6 = p.job.v6;
        // connect() again: 0 (or EISCONN) once connected, EALREADY while the socket is in SYN-SENT,
        // else the error of a connection the kernel has closed (a RST): that call also returns the
        // socket to the unconnected state, so it can be used again
        int rc = connect(p.fd, v6 ? sa6 : sa4, v6);
        if (rc == 0) return CONNECTED;
        int err = errno();
        switch (err) {
            case EISCONN:
                return CONNECTED;
            case EALREADY, EINPROGRESS, EINTR:
                break;
            default:
                p.reusable = true;
                return err;
        }
        // still in SYN-SENT, but an ICMP error may have come: Linux records it (SO_ERROR, and epoll
        // says EPOLLERR) and keeps the socket waiting for its SYN retransmission; the error is the
        // answer (port or host unreachable, administratively prohibited). Such a socket is closed.
        soerr.set(JAVA_INT, 0, 0);
        soerrLen.set(JAVA_INT, 0, 4);
        if (call(C.GETSOCKOPT, p.fd, SOL_SOCKET, SO_ERROR, soerr, soerrLen) != 0) return errno();
        int pending = soerr.get(JAVA_INT, 0);
        return pending == 0 ? PENDING : pending;
    }

    @Override
    public void watch(TcpConnectEngine.Probe p) throws IOException {
        event.set(JAVA_INT_UNALIGNED, 0, EPOLLOUT);
        event.set(JAVA_LONG_UNALIGNED, EVENT_DATA, p.fd);
        if (call(C.EPOLL_CTL, epfd, EPOLL_CTL_ADD, p.fd, event) != 0) throw new IOException("epoll_ctl: errno " + errno());
        p.watched = true;
    }

    @Override
    public void select(long timeoutMs, Consumer<TcpConnectEngine.Probe> ready) throws IOException {
        int n = call(C.EPOLL_WAIT, epfd, events, MAX_EVENTS, (int) Math.max(0, Math.min(timeoutMs, Integer.MAX_VALUE)));
        if (n < 0) {
            if (errno() == EINTR) return;
            throw new IOException("epoll_wait: errno " + errno());
        }
        for (int i = 0; i < n; i++) {
            int fd = (int) events.get(JAVA_LONG_UNALIGNED, i * EVENT_SIZE + EVENT_DATA);
            TcpConnectEngine.Probe p = fd >= 0 && fd < byFd.length ? byFd[fd] : null;
            if (p != null) ready.accept(p);
        }
    }

    @Override
    public void release(TcpConnectEngine.Probe p, int outcome) {
        int fd = p.fd;
        if (fd < 0) return;
        p.fd = -1;
        byFd[fd] = null;
        boolean v6 = p.job.v6;
        if (outcome == ECONNREFUSED && p.reusable && !closed && (v6 ? nSpare6 < spare6.length : nSpare4 < spare4.length)) {
            // back to unconnected (the look that saw the refusal did that): keep it for the next probe
            if (p.watched) {
                p.watched = false;
                if (call(C.EPOLL_CTL, epfd, EPOLL_CTL_DEL, fd, event) != 0) {
                    close(fd);
                    return;
                }
            }
            if (v6) spare6[nSpare6++] = fd;
            else spare4[nSpare4++] = fd;
            return;
        }
        p.watched = false;
        if (outcome == CONNECTED) {
            try {
                int ignored = (int) C.SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_LINGER, linger, 8);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        close(fd);
    }

    @Override
    public int spareDescriptors() {
        return spare4.length + spare6.length + 1;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (int i = 0; i < nSpare4; i++) close(spare4[i]);
        for (int i = 0; i < nSpare6; i++) close(spare6[i]);
        nSpare4 = nSpare6 = 0;
        for (TcpConnectEngine.Probe p : byFd) {
            if (p != null && p.fd >= 0) close(p.fd);
        }
        close(epfd);
        arena.close();
    }

    private MemorySegment sockaddr(InetAddress address, int port, boolean v6) {
        if (!v6) {
            if (address != last4) {
                byte[] a = address.getAddress();
                sa4.set(JAVA_SHORT_UNALIGNED, 0, (short) AF_INET);
                sa4.set(ADDR4, 4, ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff));
                last4 = address;
            }
            sa4.set(PORT, 2, (short) port);
            return sa4;
        }
        if (address != last6) {
            sa6.set(JAVA_SHORT_UNALIGNED, 0, (short) AF_INET6);
            sa6.set(JAVA_INT_UNALIGNED, 4, 0);
            MemorySegment.copy(address.getAddress(), 0, sa6, JAVA_BYTE, 8, 16);
            sa6.set(JAVA_INT_UNALIGNED, 24, ((Inet6Address) address).getScopeId());
            last6 = address;
        }
        sa6.set(PORT, 2, (short) port);
        return sa6;
    }

    private int socket(int family) {
        try {
            return (int) C.SOCKET.invokeExact(state, family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private int connect(int fd, MemorySegment sa, boolean v6) {
        try {
            return (int) C.CONNECT.invokeExact(state, fd, sa, v6 ? 28 : 16);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void close(int fd) {
        try {
            int ignored = (int) C.CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private int call(MethodHandle h, int a) {
        try {
            return (int) h.invokeExact(state, a);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private int call(MethodHandle h, int a, MemorySegment b, int c) {
        try {
            return (int) h.invokeExact(state, a, b, c);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private int call(MethodHandle h, int a, MemorySegment b, MemorySegment c) {
        try {
            return (int) h.invokeExact(state, a, b, c);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private int call(MethodHandle h, int a, int b, int c, MemorySegment d) {
        try {
            return (int) h.invokeExact(state, a, b, c, d);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private int call(MethodHandle h, int a, int b, int c, MemorySegment d, MemorySegment e) {
        try {
            return (int) h.invokeExact(state, a, b, c, d, e);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int call(MethodHandle h, int a, MemorySegment b, int c, int d) {
        try {
            return (int) h.invokeExact(state, a, b, c, d);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private int errno() {
        return (int) C.ERRNO.get(state, 0L);
    }
}
