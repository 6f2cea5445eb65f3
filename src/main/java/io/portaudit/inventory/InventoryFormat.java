package io.portaudit.inventory;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.InputText;
import io.portaudit.model.Text;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells from content alone which listing a text is: {@code netstat} (GNU net-tools or busybox),
 * {@code ss}, a {@code /proc/net} table dump ({@code proc-net-tcp} or {@code proc-net-udp}; the
 * family is read per line) or the {@code socket-owners} table. The answers are
 * {@link DeviceSnapshot} {@code KIND_*} names.
 */
public final class InventoryFormat {
    private static final Pattern NETSTAT_ROW = Pattern.compile("^(tcp|udp|raw)6?\\s+\\d+\\s+\\d+\\s+\\S+\\s+\\S+.*");
    private static final Pattern SS_ROW = Pattern.compile(
            "^((tcp|udp|raw|sctp|mptcp|u_\\w+|p_\\w+|nl|v_\\w+|xdp)\\s+)?(LISTEN|UNCONN|ESTAB|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|"
                    + "TIME-WAIT|CLOSE-WAIT|LAST-ACK|CLOSING|CLOSE|UNKNOWN)\\s+\\d+\\s+\\d+\\s+\\S+.*");
    private static final Pattern PROC_ROW = Pattern.compile("^\\s*\\d+:\\s+[0-9A-Fa-f]{8}([0-9A-Fa-f]{24})?:[0-9A-Fa-f]{4}\\s.*");
    private static final Pattern OWNERS_ROW = Pattern.compile("^\\d+\\t\\d+\\t[^\\t]*\\t[^\\t]*\\t[^\\t]*\\t[^\\t]*\\t[^\\t]*$");

    /** {@code sysctl net.ipv6.bindv6only} (alone or in a {@code sysctl -a} dump). */
    static final Pattern BINDV6ONLY = Pattern.compile("(?m)^\\s*net\\.ipv6\\.bindv6only\\s*=\\s*([01])\\s*$");

    private InventoryFormat() {}

    /** A sysctl output that states {@code net.ipv6.bindv6only} (kind {@code bindv6only}). */
    public static boolean isBindV6Only(String text) {
        return text != null && BINDV6ONLY.matcher(text).find();
    }

    public static Optional<String> detect(String text) {
        String[] lines = Text.lines(InputText.normalize(text));
        int netstat = 0, ss = 0, proc = 0, owners = 0;
        boolean udpHeader = false, tcpHeader = false;
        for (int i = 0; i < lines.length && i < 400; i++) {
            String l = lines[i];
            String t = l.trim();
            if (t.startsWith("Active Internet connections") || t.startsWith("Proto Recv-Q Send-Q")
                    || t.startsWith("稼働中のインターネット接続") || t.startsWith("Proto 受信-Q 送信-Q")) netstat += 10;
            else if (t.startsWith("Netid ") || t.matches("^State\\s+Recv-Q\\s+Send-Q.*")) ss += 10;
            else if (t.startsWith("sl ") && t.contains("local_address")) {
                proc += 10;
                if (t.contains("drops")) udpHeader = true;
                else tcpHeader = true;
            } else if (OWNERS_ROW.matcher(l).matches()) owners++;
            else if (PROC_ROW.matcher(l).matches()) proc++;
            else if (SS_ROW.matcher(t).matches()) ss++;
            else if (NETSTAT_ROW.matcher(t).matches()) netstat++;
        }
        int best = Math.max(Math.max(netstat, ss), Math.max(proc, owners));
        if (best == 0) return Optional.empty();
        if (best == owners) return Optional.of(DeviceSnapshot.KIND_SOCKET_OWNERS);
        if (best == netstat) return Optional.of(DeviceSnapshot.KIND_NETSTAT);
        if (best == ss) return Optional.of(DeviceSnapshot.KIND_SS);
        if (udpHeader && !tcpHeader) return Optional.of(DeviceSnapshot.KIND_PROC_NET_UDP);
        return Optional.of(DeviceSnapshot.KIND_PROC_NET_TCP);
    }
}
