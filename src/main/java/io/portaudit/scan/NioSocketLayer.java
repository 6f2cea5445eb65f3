package io.portaudit.scan;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * {@link SocketLayer} on Java NIO: a {@link SocketChannel} per probe, one {@link Selector}. Per port:
 * {@code socket}, two {@code fcntl}, {@code connect}, a {@code poll} and {@code getsockopt} to look
 * (plus {@code epoll_ctl} ADD/DEL only for probes still waiting), {@code close}. Java reports
 * failures as exceptions whose messages are the C library's {@code strerror} texts; they are
 * mapped back to errno values here.
 */
final class NioSocketLayer implements SocketLayer {
    private final Selector selector;

    NioSocketLayer() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public int start(TcpConnectEngine.Probe p, InetAddress address, int port) throws IOException {
        // a native IPv4 socket for an IPv4 target (the default is a dual-stack IPv6 socket, one
        // setsockopt more per probe and the v4-mapped path in the kernel)
        SocketChannel ch = SocketChannel.open(p.job.v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        p.ch = ch;
        try {
            ch.configureBlocking(false);
            if (p.localPort != 0) ch.bind(new InetSocketAddress(address, p.localPort));
            return ch.connect(new InetSocketAddress(address, port)) ? CONNECTED : PENDING;
        } catch (IOException e) {
            return errno(e);
        }
    }

    @Override
    public boolean connectedToItself(TcpConnectEngine.Probe p) {
        try {
            return p.ch.getLocalAddress() instanceof InetSocketAddress local && local.getPort() == p.port
                    && local.getAddress().equals(p.job.base.getAddress());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public int check(TcpConnectEngine.Probe p) {
        try {
            return p.ch.finishConnect() ? CONNECTED : PENDING;
        } catch (IOException e) {
            return errno(e);
        }
    }

    @Override
    public void watch(TcpConnectEngine.Probe p) throws IOException {
        p.ch.register(selector, SelectionKey.OP_CONNECT, p);
    }

    @Override
    public void select(long timeoutMs, Consumer<TcpConnectEngine.Probe> ready) throws IOException {
        int n = timeoutMs <= 0 ? selector.selectNow() : selector.select(timeoutMs);
        if (n == 0) return;
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            ready.accept((TcpConnectEngine.Probe) key.attachment());
        }
    }

    @Override
    public void release(TcpConnectEngine.Probe p, int outcome) {
        SocketChannel ch = p.ch;
        if (ch == null) return;
        p.ch = null;
        try {
            if (outcome == CONNECTED) ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // a plain close then
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a probe socket cannot fail in a way that matters
        }
    }

    @Override
    public int spareDescriptors() {
        return 0;
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }

    /** The errno behind a connect failure, from the exception type and the strerror text. */
    static int errno(IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Connection refused")) return ECONNREFUSED;
        if (msg.contains("timed out")) return ETIMEDOUT;
        // ECONNRESET comes only from an established connection (a RST in SYN-SENT is ECONNREFUSED)
        if (msg.contains("Connection reset")) return ECONNRESET;
        if (e instanceof NoRouteToHostException || msg.contains("No route to host")) return EHOSTUNREACH;
        if (msg.contains("Network is unreachable")) return ENETUNREACH;
        if (msg.contains("Permission denied")) return EACCES;
        if (msg.contains("Operation not permitted")) return EPERM;
        if (msg.contains("Protocol not available")) return ENOPROTOOPT;
        if (e instanceof ConnectException) return ECONNREFUSED;
        return EIO;
    }
}
