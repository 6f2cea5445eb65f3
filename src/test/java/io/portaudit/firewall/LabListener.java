package io.portaudit.firewall;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Run inside a lab namespace by the differential test: listens on the given TCP ports, accepts and
 * closes every connection, and exits after a bounded lifetime (or when its stdin closes).
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
        }
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
                SocketChannel c = ((ServerSocketChannel) k.channel()).accept();
                if (c != null) c.close();
            }
            sel.selectedKeys().clear();
        }
        System.exit(0);
    }
}
