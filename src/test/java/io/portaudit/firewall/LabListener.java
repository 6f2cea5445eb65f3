package io.portaudit.firewall;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Run inside a lab namespace by the differential test: listens on the given TCP ports (accepts and
 * closes every connection) and UDP ports (echoes every datagram), and exits after a bounded lifetime (or when its stdin closes).
 */
public final class LabListener {
    public static void main(String[] args) throws IOException {
        long deadline = System.currentTimeMillis() + Long.parseLong(args[0]) * 1000;
        Selector sel = Selector.open();
        for (int i = 1; i < args.length; i++) {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(new InetSocketAddress(Integer.parseInt(args[i])), 512);
            s.configureBlocking(false);
            s.register(sel, SelectionKey.OP_ACCEPT);
            java.nio.channels.DatagramChannel u = java.nio.channels.DatagramChannel.open();
            u.bind(new InetSocketAddress(Integer.parseInt(args[i])));
            u.configureBlocking(false);
            u.register(sel, SelectionKey.OP_READ);
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(512);
        System.out.println("listening");
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) { /* parent alive */ }
            } catch (IOException ignored) {
                // parent gone
            }
            System.exit(0);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        while (System.currentTimeMillis() < deadline) {
            sel.select(500);
            for (SelectionKey k : sel.selectedKeys()) {
                if (k.channel() instanceof java.nio.channels.DatagramChannel u) {
                    buf.clear();
                    var from = u.receive(buf); // UDP: echo, so a probe can tell "accepted" from "dropped"
                    if (from != null) {
                        buf.flip();
                        u.send(buf, from);
                    }
                    continue;
                }
                SocketChannel c = ((ServerSocketChannel) k.channel()).accept();
                if (c != null) c.close();
            }
            sel.selectedKeys().clear();
        }
        System.exit(0);
    }
}
