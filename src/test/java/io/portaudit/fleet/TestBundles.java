package io.portaudit.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Text bundles (the collect script's format) of small boards, for fleet tests without a network: an iptables-save that
 * drops all but those ports, /proc/net/tcp with the given listeners (their owners named), and a device-id capture.
 */
public final class TestBundles {
    private TestBundles() {}

    /** A board listening on {@code ports} (TCP, 0.0.0.0) with program names {@code programs}, identified by {@code serial}. */
    public static Path write(Path file, String host, String serial, int[] ports, String[] programs) throws IOException {
        StringBuilder tcp = new StringBuilder("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
        StringBuilder owners = new StringBuilder();
        for (int i = 0; i < ports.length; i++) {
            int inode = 1000 + i;
            tcp.append(String.format("   %d: 00000000:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 %d 1 0 100 0 0 10 0%n",
                    i, ports[i], inode));
            owners.append(300 + i).append('\t').append(inode).append("\t0\tnet:[4026531840]\t").append(programs[i]).append("\t/usr/sbin/")
                    .append(programs[i]).append("\t0::/\n");
        }
        StringBuilder fw = new StringBuilder("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A INPUT -i lo -j ACCEPT\n-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n");
        for (int p : ports) fw.append("-A INPUT -p tcp -m tcp --dport ").append(p).append(" -j ACCEPT\n");
        fw.append("COMMIT\n");
        String id = (serial == null ? "" : "serial\t" + serial + "\n") + "hostname\t" + host + "\nmodel\tArmadillo-test\n";
        List<String[]> entries = new ArrayList<>();
        entries.add(new String[] {"uname", "uname -a", "Linux " + host + " 5.10 armv7l\n"});
        entries.add(new String[] {"iptables-save", "iptables-save", fw.toString()});
        entries.add(new String[] {"proc-net-tcp", "cat /proc/self/net/tcp", tcp.toString()});
        entries.add(new String[] {"socket-owners", "socket owners", owners.toString()});
        entries.add(new String[] {"device-id", "device id", id});
        StringBuilder manifest = new StringBuilder("portaudit-bundle\t1\ncreated\t1700000000\nhost\t" + host + "\n");
        StringBuilder t = new StringBuilder("portaudit-bundle-text\t1\n");
        int n = 1;
        StringBuilder files = new StringBuilder();
        for (String[] e : entries) {
            String num = String.format("%04d", n++);
            String ns = e[0].equals("proc-net-tcp") ? "net:[4026531840]" : "-";
            manifest.append("entry\t").append(num).append('\t').append(e[0]).append("\t0\t1700000001\t").append(ns).append('\t').append(e[1]).append('\n');
            section(files, num + ".out", e[2]);
            section(files, num + ".err", "");
        }
        manifest.append("end\t1700000004\n");
        section(t, "manifest", manifest.toString());
        t.append(files);
        Files.writeString(file, t.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static void section(StringBuilder t, String name, String content) {
        t.append("=== ").append(name).append(' ').append(content.getBytes(StandardCharsets.UTF_8).length).append('\n').append(content).append('\n');
    }
}
