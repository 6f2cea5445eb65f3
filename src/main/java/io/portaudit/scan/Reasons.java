package io.portaudit.scan;

import java.util.List;

/** nmap's reason words for how a port's state was decided, with a compact code for tables. */
public final class Reasons {
    public static final String SYN_ACK = "syn-ack";
    public static final String CONN_REFUSED = "conn-refused";
    public static final String NO_RESPONSE = "no-response";
    public static final String HOST_UNREACH = "host-unreach";
    public static final String NET_UNREACH = "net-unreach";
    public static final String ADMIN_PROHIBITED = "admin-prohibited";
    public static final String PROTO_UNREACH = "proto-unreach";
    public static final String UDP_RESPONSE = "udp-response";
    public static final String PORT_UNREACH = "port-unreach";
    public static final String USER_SET = "user-set";
    public static final String ERROR = "error";

    static final List<String> ALL = List.of(SYN_ACK, CONN_REFUSED, NO_RESPONSE, HOST_UNREACH, NET_UNREACH,
            ADMIN_PROHIBITED, PROTO_UNREACH, UDP_RESPONSE, PORT_UNREACH, USER_SET, ERROR);

    private Reasons() {}

    static int code(String reason) {
        int i = ALL.indexOf(reason);
        return i < 0 ? ALL.indexOf(ERROR) : i;
    }

    static String of(int code) {
        return ALL.get(code);
    }
}
