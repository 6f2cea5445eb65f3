package io.portaudit.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fake /proc tree in a temp dir: pid dirs with fd symlinks, ns/net links, comm, cmdline, status, stat, cgroup. */
final class FakeProc {
    final Path root;

    FakeProc(Path root) throws IOException {
        this.root = root;
        Files.writeString(root.resolve("stat"), "cpu  1 2 3\nbtime 1700000000\n");
    }

    Path process(int pid, String netns, String comm, String cmdline, int uid, String cgroup, long... sockets) throws IOException {
        Path d = Files.createDirectories(root.resolve(String.valueOf(pid)));
        Files.createDirectories(d.resolve("ns"));
        Files.createSymbolicLink(d.resolve("ns/net"), Path.of(netns));
        Files.createDirectories(d.resolve("fd"));
        Files.createSymbolicLink(d.resolve("fd/0"), Path.of("/dev/null"));
        int fd = 3;
        for (long s : sockets) Files.createSymbolicLink(d.resolve("fd/" + fd++), Path.of("socket:[" + s + "]"));
        Files.writeString(d.resolve("comm"), comm + "\n");
        Files.writeString(d.resolve("cmdline"), cmdline.replace(' ', '\0') + "\0");
        Files.writeString(d.resolve("status"), "Name:\t" + comm + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n");
        Files.writeString(d.resolve("stat"), pid + " (" + comm + " x) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 12345 0 0\n");
        Files.writeString(d.resolve("cgroup"), "0::" + cgroup + "\n");
        Files.createSymbolicLink(d.resolve("exe"), Path.of("/usr/bin/" + comm));
        return d;
    }

    void self(int pid) throws IOException {
        Files.createSymbolicLink(root.resolve("self"), Path.of(String.valueOf(pid)));
    }

    void tables(int pid, String tcp, String tcp6, String udp, String udp6) throws IOException {
        Path net = Files.createDirectories(root.resolve(pid + "/net"));
        String h = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        Files.writeString(net.resolve("tcp"), h + tcp);
        Files.writeString(net.resolve("tcp6"), h + tcp6);
        Files.writeString(net.resolve("udp"), h + udp);
        Files.writeString(net.resolve("udp6"), h + udp6);
    }

    static String v4(int sl, String hexAddr, int port, String state, long inode) {
        return String.format("%4d: %s:%04X 00000000:0000 %s 00000000:00000000 00:00000000 00000000     0        0 %d 1 0000000000000000 100 0 0 10 0%n",
                sl, hexAddr, port, state, inode);
    }

    static String v6(int sl, String hexAddr, int port, String state, long inode) {
        return String.format("%4d: %s:%04X 00000000000000000000000000000000:0000 %s 00000000:00000000 00:00000000 00000000     0        0 %d 1 0000000000000000 100 0 0 10 0%n",
                sl, hexAddr, port, state, inode);
    }
}
