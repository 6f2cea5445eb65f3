package io.portaudit.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bundles (the collect script's text format) replayed from the lab boards' real captures
 * ({@code fixtures/lab/pa-g3|pa-440|pa-nft}: firewall, /proc/net sockets), each with a device identity of its own, so
 * that fleet tests audit real board data without a network.
 */
final class LabBundles {
    static final Path LAB = Path.of("src/test/resources/fixtures/lab");
    static final List<String> BOARDS = List.of("pa-g3", "pa-440", "pa-nft");

    private LabBundles() {}

    /**
     * A fleet file (timeout 120 s, no retries) of {@code n} bundle devices {@code PREFIX-00..} (serials
     * {@code SN-SERIAL-i}, boards in turn), written beside their bundles in {@code dir}; devices from {@code slowFrom}
     * on also name 127.0.0.1 and the silent port {@code slowPort}, so that their identification waits for seconds.
     */
    static Path fleet(Path dir, String prefix, String serial, int n, int slowFrom, int slowPort) throws IOException {
        StringBuilder y = new StringBuilder("defaults:\n  timeout: 120s\n  retries: 0\ndevices:\n");
        for (int i = 0; i < n; i++) {
            String dev = String.format("%s-%02d", prefix, i);
            Path b = write(dir.resolve(dev + ".bundle"), BOARDS.get(i % BOARDS.size()), dev, "SN-" + serial + "-" + i);
            y.append("  - name: ").append(dev).append("\n    bundle: ").append(b.toAbsolutePath()).append('\n');
            if (i >= slowFrom) y.append("    address: 127.0.0.1\n    ports: \"T:").append(slowPort).append("\"\n");
        }
        return Files.writeString(dir.resolve(prefix + ".yaml"), y.toString(), StandardCharsets.UTF_8);
    }

    /** The device names {@link #fleet} writes. */
    static List<String> names(String prefix, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add(String.format("%s-%02d", prefix, i));
        return names;
    }

    /** A bundle of lab board {@code board}'s captures, for a device called {@code host} with serial {@code serial}. */
    static Path write(Path file, String board, String host, String serial) throws IOException {
        Path dir = LAB.resolve(board);
        List<String[]> entries = new ArrayList<>();
        if (board.equals("pa-nft")) {
            entries.add(new String[] {"nft", "nft list ruleset", Files.readString(dir.resolve("nft-list-ruleset.txt"))});
        } else {
            entries.add(new String[] {"iptables-save", "iptables-save", Files.readString(dir.resolve("iptables-save.txt"))});
            entries.add(new String[] {"ip6tables-save", "ip6tables-save", Files.readString(dir.resolve("ip6tables-save.txt"))});
        }
        for (String k : List.of("tcp", "tcp6", "udp", "udp6")) {
            entries.add(new String[] {"proc-net-" + k, "cat /proc/net/" + k, Files.readString(dir.resolve("proc-net-" + k + ".txt"))});
        }
        entries.add(new String[] {"device-id", "device id", "serial\t" + serial + "\nhostname\t" + host + "\nmodel\tArmadillo-" + board + "\n"});
        StringBuilder manifest = new StringBuilder("portaudit-bundle\t1\ncreated\t1700000000\nhost\t" + host + "\n");
        StringBuilder files = new StringBuilder();
        int n = 1;
        for (String[] e : entries) {
            String num = String.format("%04d", n++);
            manifest.append("entry\t").append(num).append('\t').append(e[0]).append("\t0\t1700000001\t-\t").append(e[1]).append('\n');
            section(files, num + ".out", e[2]);
            section(files, num + ".err", "");
        }
        manifest.append("end\t1700000004\n");
        StringBuilder t = new StringBuilder("portaudit-bundle-text\t1\n");
        section(t, "manifest", manifest.toString());
        t.append(files);
        Files.writeString(file, t.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static void section(StringBuilder t, String name, String content) {
        t.append("=== ").append(name).append(' ').append(content.getBytes(StandardCharsets.UTF_8).length).append('\n').append(content).append('\n');
    }
}
