package io.portaudit.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * The one walk over this machine's processes, under an injectable proc root, for {@link LocalCollector} (the
 * {@code netns-list} and {@code socket-owners} captures) and {@code inventory.Inventory.local} alike: pids in
 * numeric order, each network namespace with the processes to read its tables through ({@code self} first for
 * ours), and the processes holding the wanted socket inodes with the same details everywhere — effective uid,
 * namespace, comm, command line, last cgroup line, {@code exe} and start time (whole seconds). Each process's fd
 * directory is read once and only wanted sockets are kept, so memory grows with the listening sockets, not with
 * processes × descriptors. Nothing is dropped silently: processes that cannot be read or that exit during the
 * walk become remarks.
 */
public final class ProcWalk {
    /** Clock ticks per second of /proc/PID/stat's starttime: 100 on every Linux port portaudit targets. */
    static final int CLK_TCK = 100;

    /** A namespace and the processes in it, {@code self} first for ours, then in pid order. */
    public record Namespace(String id, List<String> readers) {}

    /** Every namespace found, which one is ours, and the remarks (unreadable, exited). */
    public record Namespaces(String current, Map<String, Namespace> byId, List<String> remarks) {}

    /**
     * One (process, socket) pair: the {@code socket-owners} capture's row. {@code uid} is the effective uid (what the
     * process may do), {@code started} the process's start time in whole seconds; null where unreadable.
     */
    public record Row(int pid, long inode, Integer uid, String netns, String comm, String cmdline, String cgroup,
                      String exe, Instant started) {}

    /** The rows for the wanted inodes, the remarks, and the pids whose fd directory could not be listed. */
    public record Owners(List<Row> rows, List<String> remarks, List<Integer> unreadable) {}

    private ProcWalk() {}

    /** Whether this process runs as root (effective uid 0 in {@code PROC/self/status}): then "run as root" is no advice. */
    static boolean root(Path proc) {
        Integer euid = null;
        String status = readSmall(proc.resolve("self/status"));
        if (status != null) {
            for (String l : status.split("\n")) {
                if (!l.startsWith("Uid:")) continue;
                String[] f = l.substring(4).strip().split("\\s+");
                if (f.length > 1 && f[1].matches("[0-9]+")) euid = Integer.parseInt(f[1]);
            }
        }
        return euid != null && euid == 0;
    }

    /** The numeric entries of the proc root, i.e. the processes, in numeric order. */
    public static List<String> pids(Path proc) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.length() < 19 && n.chars().allMatch(Character::isDigit)) out.add(n);
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
                remarks.add("cannot read " + ns + ": permission denied; its namespace may be missing" + (root(proc)
                        ? " (denied to root as well: a process outside this container's or user namespace's reach)" : " (run as root)"));
            } catch (IOException e) {
                remarks.add("cannot read " + ns + ": " + e.getMessage());
            }
        }
        Map<String, Namespace> byId = new LinkedHashMap<>();
        readers.forEach((id, r) -> byId.put(id, new Namespace(id, List.copyOf(r))));
        return new Namespaces(current, byId, remarks);
    }

    /**
     * Finds the processes holding the wanted socket inodes. Reads each {@code /proc/PID/fd} once; reads comm,
     * cmdline, status, stat, exe and cgroup only for processes that hold one. Rows in pid order, each process's
     * inodes in numeric order.
     */
    public static Owners owners(Path proc, LongPredicate wanted) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> remarks = new ArrayList<>();
        List<Integer> unreadable = new ArrayList<>();
        Instant boot = bootTime(proc);
        for (String pid : pids(proc)) {
            Path dir = proc.resolve(pid);
            TreeSet<Long> held = null; // a set: a process can hold thousands (a list made this quadratic)
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
                    if (held == null) held = new TreeSet<>();
                    held.add(inode);
                }
            } catch (NoSuchFileException e) {
                remarks.add("process " + pid + " exited during the scan; sockets it held show no owner");
                continue;
            } catch (AccessDeniedException e) {
                unreadable.add(Integer.parseInt(pid));
                remarks.add("cannot read " + dir.resolve("fd") + " (" + orDash(readSmall(dir.resolve("comm"))) + "): permission denied; "
                        + "sockets it holds show no owner" + (root(proc) ? " (denied to root as well: a process outside this container's "
                        + "or user namespace's reach)" : " (run as root)"));
                continue;
            } catch (IOException e) {
                unreadable.add(Integer.parseInt(pid));
                remarks.add("cannot read " + dir.resolve("fd") + ": " + e.getMessage());
                continue;
            }
            if (held == null) continue;
            String comm = clean(readSmall(dir.resolve("comm")));
            String cmdline = clean(readSmall(dir.resolve("cmdline")));
            Integer uid = uid(readSmall(dir.resolve("status")));
            Instant started = started(readSmall(dir.resolve("stat")), boot);
            String exe = link(dir.resolve("exe"));
            String cgroup = lastLine(readSmall(dir.resolve("cgroup")));
            String netns = link(dir.resolve("ns/net"));
            if (comm == null && cmdline == null && uid == null) {
                remarks.add("process " + pid + " exited while its details were read; its pid is kept as owner");
            }
            for (long inode : held) rows.add(new Row(Integer.parseInt(pid), inode, uid, netns, comm, cmdline, cgroup, exe, started));
        }
        return new Owners(rows, remarks, unreadable);
    }

    /**
     * The {@code socket-owners} capture text of a walk ({@code DeviceSnapshot.KIND_SOCKET_OWNERS}): one
     * {@code # unreadable PID ...} comment per process whose fds could not be listed, then the rows.
     */
    public static String text(Owners o) {
        StringBuilder sb = new StringBuilder(o.rows().size() * 100);
        for (int pid : o.unreadable()) sb.append("# unreadable ").append(pid).append(" cannot list /proc/").append(pid).append("/fd\n");
        for (Row r : o.rows()) row(sb, r);
        return sb.toString();
    }

    /**
     * One row in the capture format: {@code pid inode uid netns comm cmdline cgroup exe start}, TAB-separated,
     * {@code -} for unknown, start in seconds since the epoch.
     */
    public static void row(StringBuilder sb, Row r) {
        sb.append(r.pid()).append('\t').append(r.inode()).append('\t').append(r.uid() == null ? "-" : r.uid()).append('\t')
                .append(field(r.netns())).append('\t').append(field(r.comm())).append('\t').append(field(r.cmdline()))
                .append('\t').append(field(r.cgroup())).append('\t').append(field(r.exe())).append('\t')
                .append(r.started() == null ? "-" : Long.toString(r.started().getEpochSecond())).append('\n');
    }

    private static String field(String s) {
        if (s == null || s.isEmpty()) return "-";
        return s.replace('\t', ' ').replace('\n', ' ');
    }

    public static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** A small /proc or /sys file, its one trailing line feed removed; null when unreadable. */
    public static String readSmall(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8);
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** NULs, tabs and newlines become spaces; trailing spaces go (as the script's tr + sed); null for nothing left. */
    static String clean(String s) {
        if (s == null) return null;
        String t = s.replace('\0', ' ').replace('\t', ' ').replace('\n', ' ');
        int end = t.length();
        while (end > 0 && t.charAt(end - 1) == ' ') end--;
        return end == 0 ? null : t.substring(0, end);
    }

    /** The line of {@code /proc/PID/cgroup} the capture carries: the last non-empty one (the unified hierarchy on v2). */
    static String lastLine(String cgroup) {
        if (cgroup == null) return null;
        String last = null;
        for (String l : cgroup.split("\n")) if (!l.isBlank()) last = l.strip().replace('\t', ' ');
        return last;
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

    /** Field 22 of {@code /proc/PID/stat} (after the parenthesised comm, which may hold spaces), in whole seconds. */
    static Instant started(String stat, Instant boot) {
        if (stat == null || boot == null) return null;
        int close = stat.lastIndexOf(')');
        if (close < 0) return null;
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // after comm the fields start at number 3 (state): starttime (22) is index 19
        if (f.length < 20) return null;
        try {
            long ticks = Long.parseLong(f[19]);
            return boot.plusSeconds(ticks / CLK_TCK);
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
}
