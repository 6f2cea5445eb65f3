package io.portaudit.inventory;

import io.portaudit.model.L10n;
import io.portaudit.collect.ProcWalk;
import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The listener view: every listening TCP socket and bound UDP socket, its owners and its reach.
 * Two entries: {@link #fromSnapshot(DeviceSnapshot, ServiceNames, Problems)} for collected or pasted
 * texts, {@link #local(Path, NetnsMode, Passwd)} for this machine's kernel, all namespaces.
 */
public final class Inventory {
    public static final Comparator<Listener> ORDER = Comparator.comparing(Listener::protocol)
            .thenComparingInt(Listener::port).thenComparing(Listener::family).thenComparing(Listener::address)
            .thenComparing(l -> l.netns() == null ? "" : l.netns()).thenComparingLong(Listener::inode);

    private Inventory() {}

    /** A local inventory: listeners, raw sockets (information), the namespaces read, and every remark. */
    public record Result(List<Listener> listeners, List<ProcNetParser.RawSocket> raw, List<String> namespaces, String currentNetns,
                         List<String> remarks, List<ParseProblem> problems, List<ProcWalk.Row> ownerRows) {
        /** The owner table in the {@code socket-owners} capture format. */
        public String socketOwnersText() {
            return SocketOwners.format(ownerRows, remarks);
        }
    }

    // ------------------------------------------------------------------ from a snapshot

    /**
     * Listeners from a snapshot's texts: {@code /proc/net/*} tables (preferred), else netstat/ss
     * listings; owners from {@code socket-owners} (by inode, or by pid for netstat/ss lines);
     * scope from {@code bindv6only} and interface address captures. Grouped per capture netns.
     */
    public static List<Listener> fromSnapshot(DeviceSnapshot snap, ServiceNames names, Problems problems) {
        return fromSnapshot(snap, names, problems, null);
    }

    /** The note of a listener no process was found for, when some processes' descriptors could not be read. */
    public static final String NO_OWNER_UNREADABLE = "no owner found: held by a process whose fds could not be read, one that exited, or the kernel";
    /** ... and when every process's descriptors were read: more privileges would not find its owner. */
    public static final String NO_OWNER_ALL_READ = "no owner found: the holding process exited during the scan, or the socket belongs to the kernel "
            + "or to a process outside the PID namespace that was read";

    private static List<Listener> fromSnapshot(DeviceSnapshot snap, ServiceNames names, Problems problems, SocketOwners.Table given) {
        Passwd passwd = snap.first(DeviceSnapshot.KIND_PASSWD).map(c -> Passwd.parse(c.stdout())).orElse(Passwd.EMPTY);
        SocketOwners.Table table = given;
        if (table == null) {
            List<Capture> ownerCaps = snap.all(DeviceSnapshot.KIND_SOCKET_OWNERS);
            table = SocketOwners.Table.EMPTY;
            if (!ownerCaps.isEmpty()) {
                StringBuilder all = new StringBuilder();
                for (Capture c : ownerCaps) all.append(c.stdout()).append('\n');
                table = SocketOwners.parse(ownerCaps.get(0).command(), all.toString(), passwd, problems);
            }
        }
        Map<Integer, Owner> byPid = new HashMap<>();
        table.owners().values().forEach(l -> l.forEach(o -> {
            if (o.pid() != null) byPid.putIfAbsent(o.pid(), o);
        }));

        Map<String, List<Capture>> groups = new LinkedHashMap<>();
        for (Capture c : snap.captures()) groups.computeIfAbsent(c.netns() == null ? "" : c.netns(), k -> new ArrayList<>()).add(c);
        List<Listener> all = new ArrayList<>();
        for (Map.Entry<String, List<Capture>> g : groups.entrySet()) {
            String netns = g.getKey().isEmpty() ? null : g.getKey();
            List<Capture> caps = g.getValue();
            List<Listener> ls = new ArrayList<>();
            boolean proc = false;
            for (Capture c : caps) {
                Protocol p = switch (c.kind()) {
                    case DeviceSnapshot.KIND_PROC_NET_TCP, DeviceSnapshot.KIND_PROC_NET_TCP6 -> Protocol.TCP;
                    case DeviceSnapshot.KIND_PROC_NET_UDP, DeviceSnapshot.KIND_PROC_NET_UDP6 -> Protocol.UDP;
                    default -> null;
                };
                if (p == null) continue;
                proc = true;
                // a /proc/net dump cut short (no line end after its last row): the rows after it are missing
                io.portaudit.model.ParseProblem cut = io.portaudit.model.Text.cutAtEnd(c.command(), c.stdout());
                if (cut != null) problems.add(cut);
                ls.addAll(ProcNetParser.parse(c.command(), c.stdout(), p, table.owners(), netns, problems));
            }
            if (proc) {
                if (table != SocketOwners.Table.EMPTY) ls = ownerless(ls, table);
                ls = withTextEvidence(ls, caps, names, table, byPid, problems);
                ls.addAll(textOnly(ls, caps, names, table, byPid, netns));
            } else {
                Map<String, Listener> merged = new LinkedHashMap<>();
                for (Capture c : caps) {
                    if (!c.kind().equals(DeviceSnapshot.KIND_NETSTAT) && !c.kind().equals(DeviceSnapshot.KIND_SS)) continue;
                    for (Listener l : InventoryText.parse(c.kind(), c.command(), c.stdout(), names, problems)) {
                        Listener withNs = netns == null ? l : new Listener(l.protocol(), l.family(), l.address(), l.port(), l.scope(),
                                l.dualStack(), l.state(), l.inode(), netns, l.owners(), l.source(), l.iface(), l.note());
                        merged.merge(l.protocol() + " " + l.address() + " " + l.port(), enrich(withNs, table, byPid), Inventory::mergeSame);
                    }
                }
                ls.addAll(merged.values());
            }
            Boolean v6only = null;
            for (Capture c : caps) {
                if (!c.kind().equals(DeviceSnapshot.KIND_BINDV6ONLY) || v6only != null) continue;
                v6only = parseFlag(c.stdout());
                if (v6only == null && c.stdout() != null && !c.stdout().isBlank()) {
                    problems.add(ParseProblem.warning(c.command(), 1, 1, Text.lines(c.stdout())[0],
                            L10n.t("pp.bindv6only")));
                }
            }
            all.addAll(ScopeResolver.resolve(ls, v6only, interfaceAddresses(caps, problems)));
        }
        all.sort(ORDER);
        return List.copyOf(all);
    }

    /** The addresses held by one namespace, from its captures ({@code ip addr}, if_inet6, fib_trie + route). */
    private static InterfaceAddresses interfaceAddresses(List<Capture> caps, Problems problems) {
        InterfaceAddresses ifaces = InterfaceAddresses.empty();
        String fib = null, route = null;
        for (Capture c : caps) {
            switch (c.kind()) {
                case DeviceSnapshot.KIND_IP_ADDR -> ifaces = ifaces.merge(InterfaceAddresses.parse(c.command(), c.stdout(), problems));
                case DeviceSnapshot.KIND_PROC_NET_IF_INET6 -> ifaces = ifaces.merge(InterfaceAddresses.fromIfInet6(c.command(), c.stdout(), problems));
                case DeviceSnapshot.KIND_PROC_NET_FIB_TRIE -> fib = c.stdout();
                case DeviceSnapshot.KIND_PROC_NET_ROUTE -> route = c.stdout();
                default -> { }
            }
        }
        if (fib != null) ifaces = ifaces.merge(InterfaceAddresses.fromFibTrieAndRoute(fib, route, problems));
        return ifaces;
    }

    /**
     * The addresses each network namespace of a snapshot holds, by capture netns (null key: the captures without one),
     * from the address captures of that namespace; a namespace without any is absent. Problems of these texts are
     * reported by {@link #fromSnapshot}, not here.
     */
    public static Map<String, java.util.Set<String>> addressesByNetns(DeviceSnapshot snap) {
        Map<String, List<Capture>> groups = new LinkedHashMap<>();
        for (Capture c : snap.captures()) groups.computeIfAbsent(c.netns(), k -> new ArrayList<>()).add(c);
        Map<String, java.util.Set<String>> out = new HashMap<>();
        groups.forEach((ns, caps) -> {
            java.util.Set<String> a = interfaceAddresses(caps, new Problems()).addresses();
            if (!a.isEmpty()) out.put(ns, java.util.Set.copyOf(a));
        });
        return out;
    }

    /**
     * The kernel tables are the list of sockets, but ss/netstat texts of the same namespace carry what
     * /proc/net lacks: each socket's own IPV6_V6ONLY ({@code ss -e} {@code v6only:}, or ss's {@code *} for a
     * dual-stack {@code ::}) and owners ({@code -p}). Matched by inode, else by protocol, address and port.
     * Without this a collected {@code ss -tulnpe} that proves a {@code ::} socket v6-only (or dual-stack
     * against bindv6only=1) was ignored and the namespace default decided.
     */
    /**
     * Listeners a netstat/ss listing shows and the /proc tables given do not: pasted /proc tables may not cover
     * every protocol and family (a pasted /proc/net/tcp6 says nothing of IPv4 or UDP), so such a listener is kept
     * (possibly open), never dropped.
     */
    private static List<Listener> textOnly(List<Listener> fromProc, List<Capture> caps, ServiceNames names, SocketOwners.Table table,
                                           Map<Integer, Owner> byPid, String netns) {
        java.util.Set<String> known = new java.util.HashSet<>();
        for (Listener l : fromProc) known.add(l.protocol() + " " + l.address() + " " + l.port());
        Map<String, Listener> merged = new LinkedHashMap<>();
        for (Capture c : caps) {
            if (!c.kind().equals(DeviceSnapshot.KIND_NETSTAT) && !c.kind().equals(DeviceSnapshot.KIND_SS)) continue;
            for (Listener l : InventoryText.parse(c.kind(), c.command(), c.stdout(), names, new Problems())) {
                String key = l.protocol() + " " + l.address() + " " + l.port();
                if (known.contains(key)) continue;
                Listener withNs = netns == null ? l : new Listener(l.protocol(), l.family(), l.address(), l.port(), l.scope(),
                        l.dualStack(), l.state(), l.inode(), netns, l.owners(), l.source(), l.iface(), l.note());
                merged.merge(key, enrich(withNs, table, byPid), Inventory::mergeSame);
            }
        }
        return new ArrayList<>(merged.values());
    }

    /** Says why a socket from /proc has no owner, when the socket-owners table was collected. */
    private static List<Listener> ownerless(List<Listener> ls, SocketOwners.Table table) {
        boolean allRead = table.remarks().stream().noneMatch(r -> r.startsWith("unreadable"));
        List<Listener> out = new ArrayList<>(ls.size());
        for (Listener l : ls) {
            out.add(!l.owners().isEmpty() ? l : l.withScope(l.scope(), l.dualStack(), l.iface(),
                    ScopeResolver.join(l.note(), allRead ? NO_OWNER_ALL_READ : NO_OWNER_UNREADABLE)));
        }
        return out;
    }

    private static List<Listener> withTextEvidence(List<Listener> ls, List<Capture> caps, ServiceNames names, SocketOwners.Table table,
                                                   Map<Integer, Owner> byPid, Problems problems) {
        Map<Long, Listener> byInode = new HashMap<>();
        Map<String, Listener> byKey = new HashMap<>();
        for (Capture c : caps) {
            if (!c.kind().equals(DeviceSnapshot.KIND_NETSTAT) && !c.kind().equals(DeviceSnapshot.KIND_SS)) continue;
            // read for evidence only: the kernel tables already list these sockets, their lines' problems were not asked for
            for (Listener t : InventoryText.parse(c.kind(), c.command(), c.stdout(), names, new Problems())) {
                if (t.inode() != 0) byInode.putIfAbsent(t.inode(), t);
                byKey.merge(t.protocol() + " " + t.address() + " " + t.port(), t, (a, b) -> a.dualStack() == null ? b : a);
            }
        }
        if (byInode.isEmpty() && byKey.isEmpty()) return ls;
        List<Listener> out = new ArrayList<>(ls.size());
        for (Listener l : ls) {
            Listener t = l.inode() != 0 ? byInode.get(l.inode()) : null;
            if (t == null) t = byKey.get(l.protocol() + " " + l.address() + " " + l.port());
            if (t != null && t.protocol() == l.protocol() && t.port() == l.port()) {
                if (l.dualStack() == null && t.dualStack() != null && "::".equals(l.address()) && "::".equals(t.address())) {
                    l = l.withScope(l.scope(), t.dualStack(), l.iface(), ScopeResolver.join(l.note(), t.note() == null
                            ? (t.dualStack() ? "dual-stack" : "v6-only") + " as " + t.source() + " shows" : t.note() + " (" + t.source() + ")"));
                }
                if (l.owners().isEmpty() && !t.owners().isEmpty()) l = l.withOwners(enrich(t, table, byPid).owners());
            }
            out.add(l);
        }
        return out;
    }

    /** A netstat/ss owner (pid + name) gets the rest (cmdline, user, unit, container) from the socket-owners table. */
    private static Listener enrich(Listener l, SocketOwners.Table table, Map<Integer, Owner> byPid) {
        if (l.inode() != 0 && table.owners().containsKey(l.inode())) return l.withOwners(table.owners().get(l.inode()));
        if (byPid.isEmpty() || l.owners().isEmpty()) return l;
        List<Owner> out = new ArrayList<>();
        for (Owner o : l.owners()) {
            Owner full = o.pid() == null ? null : byPid.get(o.pid());
            out.add(full == null ? o : full);
        }
        return l.withOwners(out);
    }

    private static Listener mergeSame(Listener a, Listener b) {
        List<Owner> owners = new ArrayList<>(a.owners());
        for (Owner o : b.owners()) if (owners.stream().noneMatch(x -> Objects.equals(x.pid(), o.pid()))) owners.add(o);
        Listener keep = a.dualStack() == null && b.dualStack() != null ? b : a;
        return keep.withOwners(owners);
    }

    /** {@code 0}/{@code 1} as {@code cat /proc/sys/...} prints it, or the bindv6only line of a sysctl output; null when neither. */
    static Boolean parseFlag(String s) {
        java.util.regex.Matcher m = s == null ? null : InventoryFormat.BINDV6ONLY.matcher(s);
        if (m != null && m.find()) return m.group(1).equals("1");
        String t = s == null ? "" : s.trim();
        if (t.endsWith("= 1") || t.equals("1")) return Boolean.TRUE;
        if (t.endsWith("= 0") || t.equals("0")) return Boolean.FALSE;
        return null;
    }

    // ------------------------------------------------------------------ this machine

    /** This machine, with /etc/passwd for user names. */
    public static Result local(Path procRoot, NetnsMode mode) throws IOException {
        Passwd passwd = Passwd.EMPTY;
        try {
            passwd = Passwd.parse(Files.readString(Path.of("/etc/passwd"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // numbers instead of names
        }
        // only this machine's /proc is the namespace ss runs in
        boolean real = procRoot.toAbsolutePath().normalize().equals(Path.of("/proc"));
        return local(procRoot, mode, passwd, real ? V6Only.ss() : V6Only.NONE);
    }

    public static Result local(Path proc, NetnsMode mode, Passwd passwd) throws IOException {
        return local(proc, mode, passwd, V6Only.NONE);
    }

    /**
     * Reads the kernel's tables of every namespace (or only ours), then the owners of the sockets
     * found. A namespace's tables are read through {@code /proc/PID/net} of one of its processes;
     * when that process exits meanwhile the next one is tried.
     */
    public static Result local(Path proc, NetnsMode mode, Passwd passwd, V6Only.Source v6onlyProbe) throws IOException {
        Problems problems = new Problems();
        ProcWalk.Namespaces nss = ProcWalk.namespaces(proc);
        List<String> remarks = new ArrayList<>(nss.remarks());
        Map<String, List<Listener>> byNs = new LinkedHashMap<>();
        Map<String, InterfaceAddresses> ifacesByNs = new HashMap<>();
        List<ProcNetParser.RawSocket> raw = new ArrayList<>();
        List<String> read = new ArrayList<>();
        Set<Long> wanted = new HashSet<>();
        for (ProcWalk.Namespace ns : nss.byId().values()) {
            if (mode == NetnsMode.CURRENT && !ns.id().equals(nss.current())) continue;
            List<Listener> ls = null;
            for (String reader : ns.readers()) {
                ls = readTables(proc.resolve(reader).resolve("net"), ns.id(), raw, ifacesByNs, problems, remarks);
                if (ls != null) break;
            }
            if (ls == null) {
                remarks.add("namespace " + ns.id() + ": every process in it exited or was unreadable before its tables were read");
                continue;
            }
            read.add(ns.id());
            for (Listener l : ls) wanted.add(l.inode());
            byNs.put(ns.id(), ls);
        }
        if (nss.byId().isEmpty()) remarks.add("no process namespace could be read under " + proc);

        ProcWalk.Owners found = ProcWalk.owners(proc, wanted::contains);
        remarks.addAll(found.remarks());
        SocketOwners.Table table = SocketOwners.table(found.rows(), List.of(), passwd);
        Boolean v6only = parseFlag(ProcWalk.readSmall(proc.resolve("sys/net/ipv6/bindv6only")));

        // a :: socket's own IPV6_V6ONLY is not in /proc/net: ss -e shows it for our namespace
        Map<Long, Boolean> v6onlyByInode = Map.of();
        List<Listener> ours = byNs.getOrDefault(nss.current(), List.of());
        if (ours.stream().anyMatch(l -> l.family() == io.portaudit.model.AddressFamily.IPV6 && "::".equals(l.address()))) {
            v6onlyByInode = v6onlyProbe.read(remarks);
        }

        List<Listener> all = new ArrayList<>();
        for (Map.Entry<String, List<Listener>> e : byNs.entrySet()) {
            List<Listener> withOwners = new ArrayList<>(e.getValue().size());
            boolean current = e.getKey().equals(nss.current());
            for (Listener l0 : e.getValue()) {
                Listener l = l0;
                Boolean own = current ? v6onlyByInode.get(l.inode()) : null;
                if (own != null && "::".equals(l.address())) {
                    l = l.withScope(l.scope(), !own, l.iface(), "ss -e (netlink sock_diag) shows v6only:" + (own ? 1 : 0));
                }
                List<Owner> o = table.owners().get(l.inode());
                if (o != null) withOwners.add(l.withOwners(o));
                else {
                    withOwners.add(l.withScope(l.scope(), l.dualStack(), l.iface(), ScopeResolver.join(l.note(), !found.unreadable().isEmpty()
                            ? NO_OWNER_UNREADABLE : NO_OWNER_ALL_READ)));
                }
            }
            Boolean ns6 = e.getKey().equals(nss.current()) ? v6only : null;
            all.addAll(ScopeResolver.resolve(withOwners, ns6, ifacesByNs.getOrDefault(e.getKey(), InterfaceAddresses.empty())));
        }
        all.sort(ORDER);
        return new Result(List.copyOf(all), List.copyOf(raw), List.copyOf(read), nss.current(), List.copyOf(remarks),
                problems.list(), List.copyOf(found.rows()));
    }

    /** The tables of one namespace; null when the reader process is gone. */
    private static List<Listener> readTables(Path net, String netns, List<ProcNetParser.RawSocket> raw,
                                             Map<String, InterfaceAddresses> ifaces, Problems problems, List<String> remarks) {
        List<Listener> out = new ArrayList<>();
        String[][] tables = {{"tcp", "TCP"}, {"tcp6", "TCP"}, {"udp", "UDP"}, {"udp6", "UDP"}};
        for (String[] t : tables) {
            Path file = net.resolve(t[0]);
            String text;
            try {
                text = Files.readString(file, StandardCharsets.ISO_8859_1);
            } catch (NoSuchFileException e) {
                if (t[0].equals("tcp")) return null; // the reader exited
                continue; // no IPv6 in this kernel
            } catch (IOException e) {
                if (t[0].equals("tcp")) return null;
                remarks.add("cannot read " + file + ": " + e.getMessage());
                continue;
            }
            out.addAll(ProcNetParser.parse(file.toString(), text, Protocol.valueOf(t[1]), Map.of(), netns, problems));
        }
        for (String r : new String[] {"raw", "raw6"}) {
            String text = ProcWalk.readSmall(net.resolve(r));
            if (text != null) raw.addAll(ProcNetParser.parseRaw(net.resolve(r).toString(), text, netns, problems));
        }
        InterfaceAddresses ia = InterfaceAddresses.empty();
        String if6 = ProcWalk.readSmall(net.resolve("if_inet6"));
        if (if6 != null) ia = ia.merge(InterfaceAddresses.fromIfInet6(net.resolve("if_inet6").toString(), if6, problems));
        String fib = ProcWalk.readSmall(net.resolve("fib_trie"));
        if (fib != null) ia = ia.merge(InterfaceAddresses.fromFibTrieAndRoute(fib, ProcWalk.readSmall(net.resolve("route")), problems));
        ifaces.put(netns, ia);
        return out;
    }
}
