package io.portaudit.collect;

import io.portaudit.model.DeviceSnapshot;
import java.util.List;

/**
 * The fixed list of facts portaudit gathers on a device, as POSIX sh snippets that need nothing but
 * busybox (read {@code /proc} where a tool may be missing). Used by {@link SshCollector} and
 * {@link CollectScript}; {@link LocalCollector} gathers the same kinds in Java.
 */
public final class CaptureCommands {
    /** Exit status of a shell asked to run a command it cannot find. */
    public static final int NOT_FOUND = 127;

    /** The per-netns socket tables: kind and file name under {@code /proc/PID/net/}. */
    public static final List<String[]> PROC_NET_TABLES = List.of(
            new String[] {DeviceSnapshot.KIND_PROC_NET_TCP, "tcp"},
            new String[] {DeviceSnapshot.KIND_PROC_NET_TCP6, "tcp6"},
            new String[] {DeviceSnapshot.KIND_PROC_NET_UDP, "udp"},
            new String[] {DeviceSnapshot.KIND_PROC_NET_UDP6, "udp6"});

    /** Prepended to every snippet: root tools live in sbin; C locale for stable texts. */
    public static final String PRELUDE = "PATH=\"${PATH:-/bin:/usr/bin}:/usr/sbin:/sbin:/usr/local/sbin\"; export PATH; "
            + "LC_ALL=C; export LC_ALL; ";

    /** Reads a symlink with readlink, or from {@code ls -l} when readlink is missing. */
    static final String LNK = "lnk() { readlink \"$1\" 2>/dev/null || { ls -l \"$1\" 2>/dev/null | sed -n 's/.* -> //p'; }; }\n";

    public static final String NETNS_LIST_BODY = LNK
            + "self=$(lnk /proc/self/ns/net)\n"
            + "printf '%s\\tself\\n' \"${self:--}\"\n"
            + "seen=\" ${self:--} \"\n"
            + "for p in /proc/[0-9]*; do\n"
            + "  ns=$(lnk \"$p/ns/net\")\n"
            + "  [ -n \"$ns\" ] || continue\n"
            + "  case \"$seen\" in *\" $ns \"*) continue;; esac\n"
            + "  seen=\"$seen$ns \"\n"
            + "  printf '%s\\t%s\\n' \"$ns\" \"${p#/proc/}\"\n"
            + "done\n";

    /** The {@link DeviceSnapshot#KIND_SOCKET_OWNERS} table, exactly in the documented format. */
    public static final String SOCKET_OWNERS_BODY = LNK
            + "bt=$(sed -n 's/^btime //p' /proc/stat 2>/dev/null)\n"
            + "for p in /proc/[0-9]*; do\n"
            + "  pid=${p#/proc/}\n"
            + "  fds=$(ls -l \"$p/fd\" 2>/dev/null) || { [ -d \"$p\" ] && printf '# unreadable %s cannot list /proc/%s/fd\\n' \"$pid\" \"$pid\"; continue; }\n"
            + "  inodes=$(printf '%s\\n' \"$fds\" | sed -n 's/.*socket:\\[\\([0-9][0-9]*\\)\\].*/\\1/p' | sort -u)\n"
            + "  [ -n \"$inodes\" ] || continue\n"
            + "  uid=$(sed -n 's/^Uid:[^0-9]*[0-9][0-9]*[^0-9][^0-9]*\\([0-9][0-9]*\\).*/\\1/p' \"$p/status\" 2>/dev/null)\n"
            + "  ns=$(lnk \"$p/ns/net\")\n"
            + "  comm=$(tr '\\t\\n' '  ' 2>/dev/null <\"$p/comm\" | sed 's/ *$//')\n"
            + "  cmd=$(tr '\\000\\t\\n' '   ' 2>/dev/null <\"$p/cmdline\" | sed 's/ *$//')\n"
            + "  cg=$(tail -n 1 \"$p/cgroup\" 2>/dev/null | tr '\\t' ' ')\n"
            + "  exe=$(lnk \"$p/exe\")\n"
            + "  st=$(sed 's/.*) //' \"$p/stat\" 2>/dev/null | cut -d' ' -f20)\n"
            + "  case \"$bt:$st\" in *[!0-9:]*|:*|*:) start=-;; *) start=$((bt + st / 100));; esac\n"
            + "  for i in $inodes; do\n"
            + "    printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' \"$pid\" \"$i\" \"${uid:--}\" \"${ns:--}\" \"${comm:--}\" \"${cmd:--}\" \"${cg:--}\" \"${exe:--}\" \"$start\"\n"
            + "  done\n"
            + "done\n";

    /** The {@link DeviceSnapshot#KIND_DEVICE_ID} facts, exactly in the documented format. */
    public static final String DEVICE_ID_BODY = """
            rd() { [ -r "$2" ] || return 1; v=$(tr -d '\\000\\t\\r\\n' <"$2" 2>/dev/null); [ -n "$v" ] || return 1; printf '%s\\t%s\\n' "$1" "$v"; }
            rd serial /proc/device-tree/serial-number || rd serial /sys/class/dmi/id/product_serial
            rd machine-id /etc/machine-id
            rd model /proc/device-tree/model || rd model /sys/class/dmi/id/product_name
            rd hostname /proc/sys/kernel/hostname
            for i in /sys/class/net/*; do
              [ -e "$i/device" ] || continue
              a=$(cat "$i/address" 2>/dev/null)
              case "$a" in ''|00:00:00:00:00:00) continue;; esac
              printf 'mac\\t%s\\t%s\\n' "$a" "${i##*/}"
              break
            done
            :
            """;

    public static final CaptureCommand DEVICE_ID = CaptureCommand.of(DeviceSnapshot.KIND_DEVICE_ID,
            "device identity (serial, /etc/machine-id, model, hostname, first physical interface's MAC)", DEVICE_ID_BODY).deviceWide();

    private static final String IPT_LIST = " -L -v -n --line-numbers";

    /**
     * The probes after {@link #NETNS_LIST}, in order; the per-netns tables and socket owners follow them.
     * Those marked {@link CaptureCommand#ownNetns()} describe the collector's own namespace (the {@code self} line
     * of the netns list).
     */
    public static final List<CaptureCommand> DEVICE = List.of(
            CaptureCommand.of(DeviceSnapshot.KIND_UNAME, "uname -a").deviceWide(),
            CaptureCommand.of(DeviceSnapshot.KIND_OS_RELEASE, "cat /etc/os-release",
                    "cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release").deviceWide(),
            CaptureCommand.of(DeviceSnapshot.KIND_PASSWD, "cat /etc/passwd").deviceWide(),
            DEVICE_ID,
            CaptureCommand.of(DeviceSnapshot.KIND_BINDV6ONLY, "cat /proc/sys/net/ipv6/bindv6only"),
            CaptureCommand.of(DeviceSnapshot.KIND_IP_ADDR, "ip addr"),
            CaptureCommand.of(DeviceSnapshot.KIND_PROC_NET_IF_INET6, "cat /proc/net/if_inet6").ifFailed(DeviceSnapshot.KIND_IP_ADDR),
            CaptureCommand.of(DeviceSnapshot.KIND_PROC_NET_FIB_TRIE, "cat /proc/net/fib_trie").ifFailed(DeviceSnapshot.KIND_IP_ADDR),
            CaptureCommand.of(DeviceSnapshot.KIND_PROC_NET_ROUTE, "cat /proc/net/route").ifFailed(DeviceSnapshot.KIND_IP_ADDR),
            CaptureCommand.of(DeviceSnapshot.KIND_IPTABLES_SAVE, "iptables-save"),
            CaptureCommand.of(DeviceSnapshot.KIND_IPTABLES_LIST, "iptables" + IPT_LIST).ifMissing(DeviceSnapshot.KIND_IPTABLES_SAVE),
            CaptureCommand.of(DeviceSnapshot.KIND_IP6TABLES_SAVE, "ip6tables-save"),
            CaptureCommand.of(DeviceSnapshot.KIND_IP6TABLES_LIST, "ip6tables" + IPT_LIST).ifMissing(DeviceSnapshot.KIND_IP6TABLES_SAVE),
            CaptureCommand.of(DeviceSnapshot.KIND_NFT_JSON, "nft -j list ruleset"),
            CaptureCommand.of(DeviceSnapshot.KIND_NFT, "nft list ruleset").ifFailed(DeviceSnapshot.KIND_NFT_JSON),
            CaptureCommand.of(DeviceSnapshot.KIND_SS, "ss -tulnpe"),
            CaptureCommand.of(DeviceSnapshot.KIND_NETSTAT, "netstat -tulnp"),
            CaptureCommand.of(DeviceSnapshot.KIND_PODMAN_PS, "podman ps").deviceWide());

    public static final CaptureCommand NETNS_LIST = CaptureCommand.of(DeviceSnapshot.KIND_NETNS_LIST, "list network namespaces (/proc/*/ns/net)", NETNS_LIST_BODY);

    public static final CaptureCommand SOCKET_OWNERS = CaptureCommand.of(DeviceSnapshot.KIND_SOCKET_OWNERS,
            "socket owners (/proc/*/fd, status, ns/net, comm, cmdline, cgroup, exe, stat)", SOCKET_OWNERS_BODY);

    /** The command reading one netns's table through a member process ({@code self} or a pid). */
    public static String procNetCommand(String member, String table) {
        if (!member.equals("self") && !member.matches("[0-9]{1,10}")) throw new IllegalArgumentException("bad pid: " + member);
        if (!table.matches("[a-z0-9_]+")) throw new IllegalArgumentException("bad table: " + table);
        return "cat /proc/" + member + "/net/" + table;
    }

    /** Label of the one SSH command that reads every namespace's socket tables. */
    public static final String PROC_TABLES_LABEL = "socket tables of every namespace (/proc/PID/net/{tcp,tcp6,udp,udp6})";

    /**
     * One command reading the socket tables of every namespace, each framed as
     * {@code ==> MEMBER TABLE} ... {@code <== EXIT [message]}: lines of {@code /proc/net/*} tables never
     * start with {@code ==>} or {@code <==}, so the frames cannot be confused with content. Saves one
     * SSH round trip per table on devices with many namespaces (containers).
     */
    public static String procTablesBody(List<String> members) {
        StringBuilder b = new StringBuilder("for m in");
        for (String m : members) {
            if (!m.equals("self") && !m.matches("[0-9]{1,10}")) throw new IllegalArgumentException("bad pid: " + m);
            b.append(' ').append(m);
        }
        b.append("; do\n  for t in");
        for (String[] t : PROC_NET_TABLES) b.append(' ').append(t[1]);
        b.append("; do\n")
                .append("    f=/proc/$m/net/$t\n")
                .append("    echo \"==> $m $t\"\n")
                .append("    if [ -r \"$f\" ]; then cat \"$f\"; echo \"<== $?\"; else echo \"<== 1 cannot read $f\"; fi\n")
                .append("  done\ndone\n");
        return b.toString();
    }

    private CaptureCommands() {}
}
