package io.portaudit.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** {@code --listen HOST:PORT}: an IP literal ({@code [v6]:port} for IPv6) or {@code localhost}; never a name looked up in DNS. */
record Listen(String host, int port, boolean loopback) {
    static final String DEFAULT = "127.0.0.1:8080";

    static Listen parse(String text) {
        String t = text == null ? "" : text.strip();
        String host, port;
        if (t.startsWith("[")) {
            int end = t.indexOf("]:");
            if (end < 0) throw new IllegalArgumentException("--listen must be HOST:PORT or [IPv6]:PORT, not '" + text + "'");
            host = t.substring(1, end);
            port = t.substring(end + 2);
        } else {
            int colon = t.lastIndexOf(':');
            if (colon < 0 || t.indexOf(':') != colon) throw new IllegalArgumentException("--listen must be HOST:PORT or [IPv6]:PORT, not '" + text + "'");
            host = t.substring(0, colon);
            port = t.substring(colon + 1);
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("--listen: the port must be 0-65535 (0: any free port), not '" + port + "'");
        }
        boolean literal = host.matches("[0-9.]+") && host.split("\\.", -1).length == 4 || host.contains(":") && host.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
        if (host.equals("localhost")) host = "127.0.0.1";
        else if (!literal) throw new IllegalArgumentException("--listen: the address must be an IP address or localhost, not '" + host + "'");
        InetAddress a;
        try {
            a = InetAddress.getByName(host);   // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--listen: not an IP address: '" + host + "'");
        }
        return new Listen(host, Integer.parseInt(port), a.isLoopbackAddress());
    }

    String url(int actualPort) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + actualPort + "/";
    }
}
