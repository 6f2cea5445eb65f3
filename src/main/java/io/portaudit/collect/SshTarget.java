package io.portaudit.collect;

/**
 * Where to collect from: {@code [user@]host[:port]}; an IPv6 address goes in brackets
 * ({@code root@[fd77:2::2]:22}).
 */
public record SshTarget(String user, String host, int port) {
    public SshTarget {
        if (user == null || !user.matches("[A-Za-z0-9._][A-Za-z0-9._-]{0,63}")) throw new IllegalArgumentException("bad user name: " + user);
        if (host == null || !host.matches("[A-Za-z0-9.:%_-]{1,253}")) throw new IllegalArgumentException("bad host: " + host);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
    }

    /** Parses {@code [user@]host[:port]}; the user defaults to {@code defaultUser}, the port to 22. */
    public static SshTarget parse(String spec, String defaultUser) {
        String s = spec.strip();
        String user = defaultUser;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            user = s.substring(0, at);
            s = s.substring(at + 1);
        }
        int port = 22;
        String host;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("missing ']' in " + spec);
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("unexpected text after ']' in " + spec);
                port = port(rest.substring(1), spec);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = port(s.substring(s.indexOf(':') + 1), spec);
        } else {
            host = s; // a name, an IPv4 address, or a bare IPv6 address without port
        }
        return new SshTarget(user, host, port);
    }

    private static int port(String p, String spec) {
        if (!p.matches("[0-9]{1,5}")) throw new IllegalArgumentException("bad port in " + spec);
        return Integer.parseInt(p);
    }

    /** The known_hosts name: {@code host} on port 22, {@code [host]:port} otherwise (as OpenSSH writes it). */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    @Override
    public String toString() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
