package io.portaudit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run for the JVM's ahead-of-time cache (JDK 25+, {@code -XX:AOTCacheOutput}): the
 * launcher runs this once after a build, and every later run of every command maps the classes,
 * linked call sites and annotation proxies it loaded instead of loading and linking them again.
 * It runs the real commands on small built-in inputs, with output thrown away; its only network
 * traffic is connect scans of 127.0.0.1 (loopback: 20 ports, a few, and ports 1-5000).
 */
public final class Training {
    private Training() {}

    private static final String IPTABLES_SAVE = """
            *filter
            :INPUT DROP [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -i lo -j ACCEPT
            -A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
            -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
            -A INPUT -p tcp -m tcp --dport 113 -j REJECT --reject-with icmp-port-unreachable
            -A INPUT -p tcp -m tcp --dport 6000:6010 -j DROP
            -A INPUT -p udp -m udp --dport 123 -j ACCEPT
            COMMIT
            """;

    private static final String IPTABLES_L = """
            Chain INPUT (policy DROP)
            target     prot opt source               destination
            ACCEPT     all  --  anywhere             anywhere
            ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:ssh
            DROP       tcp  --  anywhere             anywhere             tcp dpts:x11:6010

            Chain FORWARD (policy ACCEPT)
            target     prot opt source               destination

            Chain OUTPUT (policy ACCEPT)
            target     prot opt source               destination
            """;

    private static final String NFT = """
            table inet filter {
            	chain input {
            		type filter hook input priority filter; policy drop;
            		iif "lo" accept
            		ct state established,related accept
            		tcp dport { 22, 80 } accept
            		udp dport 5353 drop
            	}
            }
            """;

    private static final String NETSTAT = """
            Active Internet connections (servers and established)
            Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
            tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      401/sshd
            tcp        0      0 127.0.0.1:631           0.0.0.0:*               LISTEN      512/cupsd
            tcp6       0      0 :::80                   :::*                    LISTEN      611/lighttpd
            udp        0      0 0.0.0.0:123             0.0.0.0:*                           388/ntpd
            """;

    private static final String SS = """
            Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
            tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*     users:(("sshd",pid=401,fd=3))
            udp   UNCONN 0      0            0.0.0.0:123       0.0.0.0:*     users:(("ntpd",pid=388,fd=5))
            """;

    /**
     * No argument: every command (the launcher's full cache). {@code store-read}: only diff, history, show and
     * --version (their own, smaller cache: a start maps fewer classes); {@code serve}: only the web server's
     * pages. The store these read is filled by a separate process ({@code fill STORE}), so that the audit's
     * classes are not in their caches.
     */
    public static void main(String[] args) throws IOException {
        String group = args.length == 0 ? "all" : args[0];
        switch (group) {
            case "all" -> run();
            case "store-read", "serve" -> runGroup(group);
            case "fill" -> { if (args.length != 2) throw new IllegalArgumentException("usage: Training fill STORE"); fill(Path.of(args[1])); }
            default -> throw new IllegalArgumentException("unknown training group " + group + " (store-read, serve, or none: all)");
        }
    }

    /** Runs one group's commands (see {@link #main}); returns each one's exit code, as {@link #run()}. */
    static java.util.Map<String, Integer> runGroup(String group) throws IOException {
        java.util.Map<String, Integer> codes = new java.util.LinkedHashMap<>();
        Path dir = Files.createTempDirectory("portaudit-training");
        PrintStream out = System.out, err = System.err;
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        try {
            String store = dir.resolve("history.db").toString();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Training.class.getName(), "fill", store).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                codes.put("fill", p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) ? p.exitValue() : -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                codes.put("fill", -1);
            } finally {
                p.destroyForcibly();
            }
            System.setOut(devNull);
            System.setErr(devNull);
            // what Main.main does ahead on second threads for these commands (the AOT cache then holds its classes too)
            readAhead(group.equals("serve") ? "serve" : "diff");
            List<String[]> runs = group.equals("serve")
                    ? List.<String[]>of(new String[] {"--version"})
                    : List.of(
                            new String[] {"--version"},
                            new String[] {"history", "--store", store, "training"},
                            new String[] {"history", "--store", store, "--port", "tcp/22"},
                            new String[] {"diff", "--store", store, "training@-1", "training@latest"},
                            new String[] {"diff", "--store", store, "--json", "training@-1", "training@latest"},
                            new String[] {"show", "--store", store, "training@latest"},
                            new String[] {"show", "--store", store, "--json", "training@latest"});
            for (String[] run : runs) {
                int code;
                try {
                    code = Main.commandLineFor(run).execute(run);
                } catch (RuntimeException e) {
                    code = -1;
                }
                codes.put(String.join(" ", run).replace(dir.toString(), "DIR"), code);
            }
            if (group.equals("serve")) {
                try {   // the serve command's options, parsed as a start parses them (the server itself runs below)
                    String[] serve = {"serve", "--store", store, "--listen", "127.0.0.1:0"};
                    Main.commandLineFor(serve).parseArgs(serve);
                } catch (RuntimeException e) {
                    codes.put("serve (parse)", -1);
                }
                codes.put("serve (pages of the store above, over 127.0.0.1)", serve(store));
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            delete(dir);
        }
        return codes;
    }

    private static void readAhead(String command) {
        Main.readAnnotations(command);
        io.portaudit.store.Warmup.run();
    }

    /** Two audits of device "training" into the store at {@code store} (what the store-read and serve groups read). */
    static void fill(Path store) throws IOException {
        Path dir = Files.createTempDirectory("portaudit-training-fill");
        try {
            Path list = write(dir, "fw.L", IPTABLES_L), netstat = write(dir, "netstat.txt", NETSTAT),
                    save = write(dir, "fw.save", IPTABLES_SAVE), ss = write(dir, "ss.txt", SS);
            String[] first = {"audit", "--store", store.toString(), "--device", "training",
                "--input", list.toString(), "--input", netstat.toString(), "-o", "json:" + dir.resolve("a.json")};
            String[] second = {"audit", "--store", store.toString(), "--device", "training",
                "--input", save.toString(), "--input", ss.toString(), "-o", "json:" + dir.resolve("b.json")};
            int a = Main.commandLineFor(first).execute(first), b = Main.commandLineFor(second).execute(second);
            if (a < 0 || a > 1 || b < 0 || b > 1) System.exit(1);   // 1: findings, as expected of these inputs
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Runs every training command; returns each one's exit code (-1: it threw), keyed by its arguments. */
    static java.util.Map<String, Integer> run() throws IOException {
        java.util.Map<String, Integer> codes = new java.util.LinkedHashMap<>();
        Path dir = Files.createTempDirectory("portaudit-training");
        PrintStream out = System.out, err = System.err;
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        try {
            Path save = write(dir, "fw.save", IPTABLES_SAVE), list = write(dir, "fw.L", IPTABLES_L),
                    nft = write(dir, "fw.nft", NFT), netstat = write(dir, "netstat.txt", NETSTAT), ss = write(dir, "ss.txt", SS);
            Path fleet = write(dir, "fleet.yaml", "defaults:\n  ports: \"T:1-3\"\ndevices:\n  - {name: training-1, address: 127.0.0.1, scan-only: true}\n");
            String d = dir.toString();
            System.setOut(devNull);
            System.setErr(devNull);
            List<String[]> runs = List.of(
                    new String[] {"--help"},
                    new String[] {"--version"},
                    new String[] {"help", "scan"},
                    new String[] {"scan", "-Pn", "-n", "-T4", "--top-ports", "20", "--reason", "-oA", d + "/scan", "127.0.0.1"},
                    new String[] {"scan", "-Pn", "-n", "-p", "T:1-3,U:1", "-sT", "-sU", "--max-retries", "0", "--json", "127.0.0.1"},
                    // a large scan: engine threads and the native socket layer (JDK 22+)
                    new String[] {"scan", "-Pn", "-n", "-T4", "-p", "1-5000", "-oX", d + "/big.xml", "127.0.0.1"},
                    new String[] {"firewall", save.toString(), list.toString(), nft.toString()},
                    new String[] {"firewall", "--json", "--trace", "tcp/22", save.toString()},
                    new String[] {"inventory", "--from", netstat.toString(), "--from", ss.toString()},
                    new String[] {"inventory", "--json", "--netns", "current"},
                    new String[] {"audit", "--store", d + "/history.db", "--device", "training", "--input", list.toString(), "--input", netstat.toString(), "--input", d + "/scan.xml",
                        "-o", "text", "-o", "json:" + d + "/a.json", "-o", "html:" + d + "/a.html", "-o", "sarif:" + d + "/a.sarif",
                        "-o", "junit:" + d + "/a.junit", "-o", "markdown:" + d + "/a.md", "--fix-script", d + "/fix.sh"},
                    new String[] {"audit", "--store", d + "/history.db", "--device", "training", "--profile", "production-minimal", "--input", save.toString(), "--input", ss.toString()},
                    // the history commands, on the store the two audits above filled
                    new String[] {"history", "--store", d + "/history.db", "training"},
                    new String[] {"history", "--store", d + "/history.db", "--port", "tcp/22"},
                    new String[] {"diff", "--store", d + "/history.db", "training@-1", "training@latest"},
                    new String[] {"show", "--store", d + "/history.db", "--json", "training@latest"},
                    new String[] {"store", "info", "--store", d + "/history.db"},
                    // a fleet of one device: a scan of 127.0.0.1, then its report
                    new String[] {"fleet", "run", "--store", d + "/history.db", "--progress", "none", fleet.toString()},
                    new String[] {"fleet", "report", "--store", d + "/history.db", "latest", "-o", "junit"},
                    new String[] {"collect-script"});
            for (String[] run : runs) {
                int code;
                try {
                    code = Main.commandLineFor(run).execute(run);
                } catch (RuntimeException e) {
                    code = -1;   // a training run that fails only makes the cache smaller
                }
                codes.put(String.join(" ", run).replace(d, "DIR"), code);
            }
            codes.put("serve (pages of the store above, over 127.0.0.1)", serve(d + "/history.db"));
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        return codes;
    }

    /** {@code portaudit serve}'s server on 127.0.0.1 (any free port) over the store, each page asked for once: 0 when all answered 200. */
    private static int serve(String store) {
        try (var server = io.portaudit.web.WebServer.start(new io.portaudit.web.WebServer.Config(
                io.portaudit.store.StoreLocation.parse(store, java.util.Map.of()), "127.0.0.1:0", null, 1, 60_000))) {
            int bad = 0;
            for (String path : List.of("/", "/?port=tcp/22&sort=-exposed", "/device/1", "/audit/1", "/audit/1/report.html",
                    "/diff?a=training@-1&b=training@latest", "/port/tcp/22", "/api/v1/fleet", "/api/v1/devices/1", "/assets/htmx.min.js")) {
                var c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + server.port() + path).toURL().openConnection();
                c.setConnectTimeout(5_000);
                c.setReadTimeout(10_000);
                if (c.getResponseCode() != 200) bad++;
                try (var in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
                    if (in != null) in.readAllBytes();
                }
            }
            return bad;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
