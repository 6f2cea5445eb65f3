package io.portaudit.collect;

import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects this machine's raw texts, in the same shape as an SSH or bundle snapshot: the
 * {@link CaptureCommands#DEVICE} facts (tools run when installed, files read directly), the socket tables of
 * every network namespace (read through {@code /proc/PID/net/*} of one member, {@link Capture#netns()}
 * set; this process's own namespace first) and the socket-owner table. No parsing happens here.
 */
public final class LocalCollector {
    private static final String SOURCE = "local";

    private final Clock clock;
    private final CommandRunner runner;
    private final Path proc;
    private final Path sys;

    public LocalCollector(Clock clock, CommandRunner runner, Path proc) {
        this(clock, runner, proc, Path.of("/sys"));
    }

    public LocalCollector(Clock clock, CommandRunner runner, Path proc, Path sys) {
        this.clock = clock;
        this.runner = runner;
        this.proc = proc;
        this.sys = sys;
    }

    public LocalCollector() {
        this(Clock.systemUTC(), new CommandRunner(), Path.of("/proc"));
    }

    public DeviceSnapshot collect() {
        SnapshotBuilder b = new SnapshotBuilder(SOURCE);
        Map<String, String> namespaces = netns();
        String own = namespaces.keySet().iterator().next();
        for (CaptureCommand p : CaptureCommands.DEVICE) {
            String ns = p.ownNetns() ? own : null;
            if (p.fallbackOf() != null && !p.wanted(b.exitOf(p.fallbackOf()))) continue;
            if (p.kind().equals(DeviceSnapshot.KIND_DEVICE_ID)) {
                b.add(p.kind(), p.command(), 0, deviceId(proc, sys, Path.of("/etc")), "", clock.instant(), null, false);
                continue;
            }
            if (p.command().startsWith("cat ")) {
                String file = p.command().substring(4);
                Path path = file.startsWith("/proc/") ? proc.resolve(file.substring(6)) : Path.of(file);
                if (!Files.exists(path) && file.equals("/etc/os-release")) path = Path.of("/usr/lib/os-release");
                readFile(b, p.kind(), path, ns);
                continue;
            }
            String[] argv = p.command().split(" ");
            String exe = CommandRunner.which(argv[0]);
            if (exe == null) {
                b.add(p.kind(), p.command(), CaptureCommands.NOT_FOUND, "", argv[0] + ": not found", clock.instant(), ns, false);
                continue;
            }
            argv[0] = exe;
            Capture c = runner.run(p.kind(), Arrays.asList(argv), SOURCE);
            b.add(p.kind(), p.command(), c.exitStatus(), c.stdout(), c.stderr(), c.collectedAt(), ns, c.truncated());
        }
        if (Objects.equals(b.exitOf(DeviceSnapshot.KIND_IPTABLES_SAVE), CaptureCommands.NOT_FOUND)
                && Objects.equals(b.exitOf(DeviceSnapshot.KIND_NFT_JSON), CaptureCommands.NOT_FOUND)) {
            b.note("no firewall tool found (iptables-save, ip6tables-save, nft): firewall view missing");
        }
        for (Map.Entry<String, String> ns : namespaces.entrySet()) {
            for (String[] t : CaptureCommands.PROC_NET_TABLES) {
                readFile(b, t[0], proc.resolve(ns.getValue()).resolve("net").resolve(t[1]), ns.getKey());
            }
            if (!ns.getKey().equals(own)) {
                // the addresses another namespace (a container) holds: what a DNAT to one of them reaches
                for (String[] t : List.of(new String[] {DeviceSnapshot.KIND_PROC_NET_FIB_TRIE, "fib_trie"},
                        new String[] {DeviceSnapshot.KIND_PROC_NET_ROUTE, "route"}, new String[] {DeviceSnapshot.KIND_PROC_NET_IF_INET6, "if_inet6"})) {
                    Path f = proc.resolve(ns.getValue()).resolve("net").resolve(t[1]);
                    if (Files.isReadable(f)) readFile(b, t[0], f, ns.getKey());
                }
            }
        }
        b.add(DeviceSnapshot.KIND_SOCKET_OWNERS, CaptureCommands.SOCKET_OWNERS.command(), 0, socketOwners(proc), "", clock.instant(),
                null, false);
        return b.build(hostname(), clock.instant());
    }

    /** The {@link DeviceSnapshot#KIND_DEVICE_ID} text, as {@link CaptureCommands#DEVICE_ID_BODY} prints it. */
    static String deviceId(Path proc, Path sys, Path etc) {
        StringBuilder sb = new StringBuilder();
        fact(sb, "serial", proc.resolve("device-tree/serial-number"), sys.resolve("class/dmi/id/product_serial"));
        fact(sb, "machine-id", etc.resolve("machine-id"));
        fact(sb, "model", proc.resolve("device-tree/model"), sys.resolve("class/dmi/id/product_name"));
        fact(sb, "hostname", proc.resolve("sys/kernel/hostname"));
        List<Path> ifaces = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sys.resolve("class/net"))) {
            ds.forEach(ifaces::add);
        } catch (IOException e) {
            // no sysfs: no MAC
        }
        ifaces.sort((a, c) -> a.getFileName().toString().compareTo(c.getFileName().toString()));
        for (Path i : ifaces) {
            if (!Files.exists(i.resolve("device"))) continue;
            String a = read(i.resolve("address"));
            a = a == null ? "" : a.strip();
            if (a.isEmpty() || a.equals("00:00:00:00:00:00")) continue;
            sb.append("mac\t").append(a).append('\t').append(i.getFileName()).append('\n');
            break;
        }
        return sb.toString();
    }

    private static void fact(StringBuilder sb, String key, Path... files) {
        for (Path f : files) {
            String v = read(f);
            if (v == null) continue;
            v = v.replaceAll("[\\x00\\t\\r\\n]", "");
            if (v.isEmpty()) continue;
            sb.append(key).append('\t').append(v).append('\n');
            return;
        }
    }

    private void readFile(SnapshotBuilder b, String kind, Path file, String netns) {
        try {
            b.add(kind, "cat " + file, 0, Files.readString(file, StandardCharsets.ISO_8859_1), "", clock.instant(), netns, false);
        } catch (IOException e) {
            // no IPv6 on this kernel, or /proc not mounted: say so, keep going
            b.note("could not read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Distinct network namespaces → a member ({@code self} for our own, else the first of its processes whose tables
     * can still be read: one that exited since the walk is passed over), own first.
     */
    Map<String, String> netns() {
        Map<String, String> out = new LinkedHashMap<>();
        ProcWalk.Namespaces nss;
        try {
            nss = ProcWalk.namespaces(proc);
        } catch (IOException e) {
            nss = new ProcWalk.Namespaces(null, Map.of(), List.of());
        }
        out.put(nss.current(), "self");
        for (ProcWalk.Namespace ns : nss.byId().values()) {
            if (ns.id().equals(nss.current()) || ns.readers().isEmpty()) continue;
            String member = ns.readers().get(0);
            for (String r : ns.readers()) {
                if (Files.isReadable(proc.resolve(r).resolve("net/tcp"))) {
                    member = r;
                    break;
                }
            }
            out.put(ns.id(), member);
        }
        return out;
    }

    /** The {@link DeviceSnapshot#KIND_SOCKET_OWNERS} table of the processes under {@code proc}: every socket they hold. */
    public static String socketOwners(Path proc) {
        try {
            return ProcWalk.text(ProcWalk.owners(proc, inode -> true));
        } catch (IOException e) {
            return "# unreadable - cannot list " + proc + "\n";
        }
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private String hostname() {
        try {
            return Files.readString(proc.resolve("sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
