package io.portaudit.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything collected from one device, as raw texts. Local, SSH and bundle collection all end
 * here; every view reads only this, so the three audits are the same code after collection.
 *
 * @param source  how it was collected: {@code local}, {@code ssh://user@host:port}, {@code bundle:FILE}, {@code input}
 * @param host    the device's name or address, when known
 * @param partial true when collection stopped early (timeout, dropped connection); what was collected is kept
 * @param notes   human-readable remarks about the collection (missing tools, permission problems)
 */
public record DeviceSnapshot(String source, String host, Instant collectedAt, List<Capture> captures, boolean partial,
                             List<String> notes) {
    public static final String KIND_IPTABLES_SAVE = "iptables-save";
    public static final String KIND_IP6TABLES_SAVE = "ip6tables-save";
    public static final String KIND_IPTABLES_LIST = "iptables-L";
    public static final String KIND_IP6TABLES_LIST = "ip6tables-L";
    public static final String KIND_IPTABLES_RULES = "iptables-S";
    public static final String KIND_NFT = "nft";
    public static final String KIND_NFT_JSON = "nft-json";
    public static final String KIND_PROC_NET_TCP = "proc-net-tcp";
    public static final String KIND_PROC_NET_TCP6 = "proc-net-tcp6";
    public static final String KIND_PROC_NET_UDP = "proc-net-udp";
    public static final String KIND_PROC_NET_UDP6 = "proc-net-udp6";
    public static final String KIND_NETSTAT = "netstat";
    public static final String KIND_SS = "ss";
    public static final String KIND_NMAP_NORMAL = "nmap-normal";
    public static final String KIND_NMAP_XML = "nmap-xml";
    public static final String KIND_UNAME = "uname";
    public static final String KIND_OS_RELEASE = "os-release";
    public static final String KIND_IP_ADDR = "ip-addr";
    public static final String KIND_BINDV6ONLY = "bindv6only";
    public static final String KIND_SERVICES = "services";
    public static final String KIND_PODMAN_PS = "podman-ps";
    /** Distinct network namespaces: {@code NETNS<TAB>PID} per line, PID {@code self} for the collector's own. */
    public static final String KIND_NETNS_LIST = "netns-list";
    /** {@code /proc/net/if_inet6}: IPv6 addresses when {@code ip} is missing. */
    public static final String KIND_PROC_NET_IF_INET6 = "proc-net-if_inet6";
    /** {@code /proc/net/fib_trie}: IPv4 addresses (LOCAL entries) when {@code ip} is missing. */
    public static final String KIND_PROC_NET_FIB_TRIE = "proc-net-fib_trie";
    /** {@code /proc/net/route}: interface of each IPv4 route, read with fib_trie. */
    public static final String KIND_PROC_NET_ROUTE = "proc-net-route";
    /** {@code /etc/passwd}: user names for the socket owners' uids (no password hashes live there). */
    public static final String KIND_PASSWD = "passwd";
    /**
     * What identifies the hardware, one fact per line, {@code KEY<TAB>VALUE}: {@code serial} (device tree
     * {@code serial-number}, else DMI {@code product_serial}), {@code machine-id}, {@code model} (device tree
     * {@code model}, else DMI {@code product_name}), {@code hostname}, and {@code mac<TAB>ADDRESS<TAB>IFACE} for the
     * first physical interface (one with a {@code device} link under {@code /sys/class/net}). Missing facts are left out.
     */
    public static final String KIND_DEVICE_ID = "device-id";
    /**
     * The socket-inode → process table, as text, so that a device without portaudit (SSH, bundle)
     * gives the same owners as a local run. One line per (process, socket inode), nine fields
     * separated by TAB, in this order:
     * {@code pid  inode  uid  netns  comm  cmdline  cgroup  exe  start}
     * where {@code uid} is the effective uid, {@code netns} the {@code /proc/PID/ns/net} link text
     * ({@code net:[4026531840]}), {@code cmdline} has its NUL separators turned into spaces, {@code cgroup}
     * is the last line of {@code /proc/PID/cgroup}, {@code exe} the {@code /proc/PID/exe} link and
     * {@code start} the process's start in whole seconds since the epoch (btime + starttime / 100). An
     * unreadable field is {@code -}; lines of the first seven fields only (older captures) are read too.
     * Lines starting with {@code #} are comments (e.g. {@code # unreadable 1234 permission denied}).
     */
    public static final String KIND_SOCKET_OWNERS = "socket-owners";

    public DeviceSnapshot {
        captures = List.copyOf(captures);
        notes = List.copyOf(notes);
    }

    public List<Capture> all(String kind) {
        return captures.stream().filter(c -> c.kind().equals(kind)).toList();
    }

    public Optional<Capture> first(String kind) {
        return captures.stream().filter(c -> c.kind().equals(kind)).findFirst();
    }

    public boolean has(String kind) {
        return captures.stream().anyMatch(c -> c.kind().equals(kind));
    }
}
