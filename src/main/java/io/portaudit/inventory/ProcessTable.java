package io.portaudit.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Reads this machine's processes under an injectable proc root: which network namespace each is
 * in, and which sockets it holds ({@code /proc/PID/fd} → {@code socket:[inode]}). Each process's
 * fd directory is read once, and only sockets the caller asks for are kept, so memory grows with
 * the listening sockets, not with processes × descriptors. Nothing is dropped silently: processes
 * that cannot be read or that exit during the scan become remarks.
 */
public final class ProcessTable {
    /** Clock ticks per second of /proc/PID/stat's starttime: 100 on every Linux port portaudit targets. */
    static final int CLK_TCK = 100;

    /** A namespace and the processes in it, in /proc order; {@code reader} is the proc dir to read its tables through. */
    public record Namespace(String id, List<String> readers) {}

    /** Every namespace found, which one is ours, and the remarks (unreadable, exited). */
    public record Namespaces(String current, Map<String, Namespace> byId, List<String> remarks) {}

    /** The socket → process rows for the wanted inodes, and the remarks. */
    public record Owners(List<SocketOwners.Row> rows, List<String> remarks, int unreadable) {}

    private ProcessTable() {}

    /** The numeric entries of the proc root, i.e. the processes. */
    static List<String> pids(Path proc) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) out.add(n);
            }
        }
        out.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        return out;
    }

    /** Groups processes by {@code /proc/PID/ns/net}; the current namespace is read through {@code self}. */
    public static Namespaces namespaces(Path proc) throws IOException {
        List<String> remarks = new ArrayList<>();
        String current = link(proc.resolve("self/ns/net"));
        Map<String, List<String>> readers = new LinkedHashMap<>();
        if (current != null) readers.computeIfAbsent(current, k -> new ArrayList<>()).add("self");
        for (String pid : pids(proc)) {
            Path ns = proc.resolve(pid).resolve("ns/net");
            try {
                String id = Files.readSymbolicLink(ns).toString();
                readers.computeIfAbsent(id, k -> new ArrayList<>()).add(pid);
            } catch (NoSuchFileException e) {
                if (Files.exists(proc.resolve(pid))) remarks.add("process " + pid + " has no readable ns/net (kernel thread or no netns support)");
                else remarks.add("process " + pid + " exited during the scan");
            } catch (AccessDeniedException e) {
                remarks.add("cannot read " + ns + ": permission denied; its namespace may be missing (run as root)");
            } catch (IOException e) {
                remarks.add("cannot read " + ns + ": " + e.getMessage());
            }
        }
        Map<String, Namespace> byId = new LinkedHashMap<>();
        readers.forEach((id, r) -> byId.put(id, new Namespace(id, List.copyOf(r))));
        return new Namespaces(current, byId, remarks);
    }

    /**
     * Finds the processes holding the wanted socket inodes. Reads each {@code /proc/PID/fd} once;
     * reads comm, cmdline, status, stat, exe and cgroup only for processes that hold one.
     */
    public static Owners owners(Path proc, LongPredicate wanted) throws IOException {
        List<SocketOwners.Row> rows = new ArrayList<>();
        List<String> remarks = new ArrayList<>();
        int unreadable = 0;
        Instant boot = bootTime(proc);
        for (String pid : pids(proc)) {
            Path dir = proc.resolve(pid);
            java.util.LinkedHashSet<Long> held = null; // a set: a process can hold thousands (a list made this quadratic)
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
                for (Path fd : fds) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException e) {
                        continue; // this descriptor was closed while we looked: it cannot be a socket we list
                    }
                    if (!target.startsWith("socket:[") || !target.endsWith("]")) continue;
                    long inode;
                    try {
                        inode = Long.parseLong(target, 8, target.length() - 1, 10);
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (!wanted.test(inode)) continue;
                    if (held == null) held = new java.util.LinkedHashSet<>(4);
                    held.add(inode);
                }
            } catch (NoSuchFileException e) {
                remarks.add("process " + pid + " exited during the scan; sockets it held show no owner");
                continue;
            } catch (AccessDeniedException e) {
                unreadable++;
                remarks.add("cannot read " + dir.resolve("fd") + " (" + orDash(readSmall(dir.resolve("comm"))) + "): permission denied; "
                        + "sockets it holds show no owner (run as root)");
                continue;
            } catch (IOException e) {
                unreadable++;
                remarks.add("cannot read " + dir.resolve("fd") + ": " + e.getMessage());
                continue;
            }
            if (held == null) continue;
            String comm = readSmall(dir.resolve("comm"));
            String cmdline = readCmdline(dir.resolve("cmdline"));
            Integer uid = uid(readSmall(dir.resolve("status")));
            Instant started = started(readSmall(dir.resolve("stat")), boot);
            String exe = link(dir.resolve("exe"));
            String cgroup = Cgroups.lastLine(readSmall(dir.resolve("cgroup")));
            String netns = link(dir.resolve("ns/net"));
            if (comm == null && cmdline == null && uid == null) {
                remarks.add("process " + pid + " exited while its details were read; its pid is kept as owner");
            }
            for (long inode : held) rows.add(new SocketOwners.Row(Integer.parseInt(pid), inode, uid, netns, comm, cmdline, cgroup, exe, started));
        }
        return new Owners(rows, remarks, unreadable);
    }

    static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    static String readSmall(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8);
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String readCmdline(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            int n = b.length;
            while (n > 0 && b[n - 1] == 0) n--;
            if (n == 0) return null; // kernel threads and zombies have none
            return new String(b, 0, n, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return null;
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    /** The effective uid from {@code /proc/PID/status} ({@code Uid: real effective saved fs}). */
    static Integer uid(String status) {
        if (status == null) return null;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                try {
                    return Integer.parseInt(f.length > 1 ? f[1] : f[0]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Field 22 of {@code /proc/PID/stat} (after the parenthesised comm, which may hold spaces). */
    static Instant started(String stat, Instant boot) {
        if (stat == null || boot == null) return null;
        int close = stat.lastIndexOf(')');
        if (close < 0) return null;
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // after comm the fields start at number 3 (state): starttime (22) is index 19
        if (f.length < 20) return null;
        try {
            long ticks = Long.parseLong(f[19]);
            return boot.plusMillis(ticks * 1000 / CLK_TCK);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Instant bootTime(Path proc) {
        String stat = readSmall(proc.resolve("stat"));
        if (stat == null) return null;
        for (String line : stat.split("\n")) {
            if (line.startsWith("btime ")) {
                try {
                    return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** For tests and callers that want a set rather than a predicate. */
    static LongPredicate in(Set<Long> inodes) {
        return inodes::contains;
    }

    static Map<String, Integer> count(List<SocketOwners.Row> rows) {
        Map<String, Integer> m = new HashMap<>();
        for (SocketOwners.Row r : rows) m.merge(String.valueOf(r.pid()), 1, Integer::sum);
        return m;
    }
}
