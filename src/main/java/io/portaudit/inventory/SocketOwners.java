package io.portaudit.inventory;

import io.portaudit.model.L10n;
import io.portaudit.collect.ProcWalk;
import io.portaudit.collect.ProcWalk.Row;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Owner;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The socket-inode → process table in the text form of {@link DeviceSnapshot#KIND_SOCKET_OWNERS}
 * ({@code pid inode uid netns comm cmdline cgroup exe start}, TAB-separated, {@code -} for unreadable,
 * {@code #} comments). The local scan produces the same {@link Row}s, and both go through
 * {@link #owner}, so a snapshot collected over SSH or in a bundle names owners exactly like a local run.
 */
public final class SocketOwners {
    /** What the table says: owners by inode, each inode's namespace, and the {@code #} remarks. */
    public record Table(Map<Long, List<Owner>> owners, Map<Long, String> netnsByInode, List<String> remarks) {
        public static final Table EMPTY = new Table(Map.of(), Map.of(), List.of());
    }

    private SocketOwners() {}

    /** The owner a row stands for: the one place where cgroup, uid and command line are interpreted. */
    public static Owner owner(Row r, Passwd passwd) {
        Cgroups.Info cg = Cgroups.parse(r.cgroup());
        String cmd = r.cmdline() == null || r.cmdline().isBlank() ? null : r.cmdline().strip();
        return new Owner(r.pid(), r.comm(), cmd, passwd.name(r.uid()), cg.unit(), cg.container(), null, r.exe(), r.uid(), r.started());
    }

    public static Table table(List<Row> rows, List<String> remarks, Passwd passwd) {
        Map<Long, List<Owner>> owners = new HashMap<>();
        Map<Long, String> netns = new HashMap<>();
        // a process holding thousands of sockets gives thousands of rows with the same details: one Owner for all
        Map<Integer, Row> detailsOf = new HashMap<>();
        Map<Integer, Owner> ownerOf = new HashMap<>();
        for (Row r : rows) {
            List<Owner> list = owners.computeIfAbsent(r.inode(), k -> new ArrayList<>(1));
            boolean known = false;
            for (Owner o : list) known |= o.pid() != null && o.pid() == r.pid();
            if (!known) {
                Row seen = detailsOf.get(r.pid());
                Owner o;
                if (seen != null && sameDetails(seen, r)) {
                    o = ownerOf.get(r.pid());
                } else {
                    o = owner(r, passwd);
                    detailsOf.put(r.pid(), r);
                    ownerOf.put(r.pid(), o);
                }
                list.add(o);
            }
            if (r.netns() != null) netns.putIfAbsent(r.inode(), r.netns());
        }
        owners.replaceAll((k, v) -> List.copyOf(v));
        return new Table(Map.copyOf(owners), Map.copyOf(netns), List.copyOf(remarks));
    }

    private static boolean sameDetails(Row a, Row b) {
        return a.pid() == b.pid() && Objects.equals(a.uid(), b.uid()) && Objects.equals(a.netns(), b.netns())
                && Objects.equals(a.comm(), b.comm()) && Objects.equals(a.cmdline(), b.cmdline())
                && Objects.equals(a.cgroup(), b.cgroup()) && Objects.equals(a.exe(), b.exe()) && Objects.equals(a.started(), b.started());
    }

    /** Writes rows in the capture format (what a collector on a device prints). */
    public static String format(List<Row> rows, List<String> remarks) {
        StringBuilder sb = new StringBuilder(rows.size() * 80);
        for (String r : remarks) sb.append("# ").append(r.replace('\n', ' ')).append('\n');
        for (Row r : rows) ProcWalk.row(sb, r);
        return sb.toString();
    }

    /** Reads the capture format; every line it cannot read is a problem with its line number. */
    public static Table parse(String source, String text, Passwd passwd, Problems problems) {
        List<Row> rows = new ArrayList<>();
        List<String> remarks = new ArrayList<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) continue;
            if (line.startsWith("#")) {
                remarks.add(line.substring(1).strip());
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 7 && f.length != 9) {
                problems.add(ParseProblem.error(source, i + 1, 1, line,
                        L10n.t("pp.owners.fields", f.length)));
                continue;
            }
            int pid;
            long inode;
            try {
                pid = Integer.parseInt(f[0].strip());
                inode = Long.parseLong(f[1].strip());
            } catch (NumberFormatException e) {
                problems.add(ParseProblem.error(source, i + 1, 1, line, L10n.t("pp.owners.numbers")));
                continue;
            }
            Integer uid = null;
            if (!f[2].strip().equals("-")) {
                try {
                    uid = Integer.parseInt(f[2].strip());
                } catch (NumberFormatException e) {
                    problems.add(ParseProblem.warning(source, i + 1, line.indexOf(f[2]) + 1, line, L10n.t("pp.owners.uid", f[2])));
                }
            }
            Instant started = null;
            if (f.length == 9 && dash(f[8]) != null) {
                try {
                    started = Instant.ofEpochSecond(Long.parseLong(f[8].strip()));
                } catch (NumberFormatException | java.time.DateTimeException e) {
                    problems.add(ParseProblem.warning(source, i + 1, line.lastIndexOf(f[8]) + 1, line, L10n.t("pp.owners.start", f[8])));
                }
            }
            rows.add(new Row(pid, inode, uid, dash(f[3]), dash(f[4]), dash(f[5]), dash(f[6]), f.length == 9 ? dash(f[7]) : null, started));
        }
        // in pid order, as a local walk gives them (a shell lists /proc as text: 10 before 9)
        rows.sort(java.util.Comparator.comparingInt(Row::pid).thenComparingLong(Row::inode));
        return table(rows, remarks, passwd);
    }

    private static String dash(String s) {
        String t = s.strip();
        return t.equals("-") || t.isEmpty() ? null : t;
    }

    /** Keeps the first occurrence order of remarks while removing duplicates. */
    static List<String> distinct(List<String> in) {
        return List.copyOf(new LinkedHashMap<String, Boolean>() {{ in.forEach(s -> put(s, true)); }}.keySet());
    }
}
