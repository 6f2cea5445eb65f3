package io.portaudit.model;

/**
 * A weakness the scan's service identification proved by talking to the service (not guessed from a port or a
 * name). The ids are the product's interface (docs/FORMATS.md); {@code detail} says what exactly was proven.
 *
 * @param id     e.g. {@code snmp-community-public}, {@code ssh-weak-algorithms}
 * @param detail the algorithms, the certificate's problem, what the service answered
 */
public record Weakness(String id, String detail) {
    /** An SNMP agent answered the default community {@code public}. */
    public static final String SNMP_COMMUNITY_PUBLIC = "snmp-community-public";
    /** An X server accepted a connection without any authentication. */
    public static final String X11_NO_ACCESS_CONTROL = "x11-no-access-control";
    /** A VNC server offered security type None. */
    public static final String VNC_NO_AUTH = "vnc-no-auth";
    /** An MQTT broker accepted a CONNECT without user name or password. */
    public static final String MQTT_ANONYMOUS = "mqtt-anonymous";
    /** An SSH server offered weak algorithms in its KEXINIT; detail {@code kex a, b; host key c; cipher d; mac e}. */
    public static final String SSH_WEAK_ALGORITHMS = "ssh-weak-algorithms";
    /** A TLS certificate that is expired, not yet valid, has a short or DSA key, or a MD5/SHA-1 signature. */
    public static final String TLS_WEAK_CERTIFICATE = "tls-weak-certificate";
    /** A TLS service that negotiated SSL, TLS 1.0 or 1.1. */
    public static final String TLS_WEAK_PROTOCOL = "tls-weak-protocol";
    /** A Modbus/TCP device answered a read (device identification) without any authentication. */
    public static final String MODBUS_UNAUTHENTICATED = "modbus-unauthenticated";
    /** A TFTP server served a file to an unauthenticated read request. */
    public static final String TFTP_UNAUTHENTICATED_READ = "tftp-unauthenticated-read";
    /** A CoAP server answered a request (its resource list) without any authentication. */
    public static final String COAP_UNAUTHENTICATED = "coap-unauthenticated";

    public static final java.util.List<String> IDS = java.util.List.of(SNMP_COMMUNITY_PUBLIC, X11_NO_ACCESS_CONTROL, VNC_NO_AUTH,
            MQTT_ANONYMOUS, SSH_WEAK_ALGORITHMS, TLS_WEAK_CERTIFICATE, TLS_WEAK_PROTOCOL, MODBUS_UNAUTHENTICATED,
            TFTP_UNAUTHENTICATED_READ, COAP_UNAUTHENTICATED);
}
