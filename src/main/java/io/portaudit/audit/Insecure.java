package io.portaudit.audit;

import io.portaudit.model.Protocol;
import io.portaudit.model.Weakness;
import java.util.Locale;
import java.util.Optional;

/** Cleartext or unauthenticated protocols that should not be reachable on a shipped device. */
final class Insecure {
    private Insecure() {}

    /** Why the service on this port is insecure, or empty. */
    static Optional<String> reason(Protocol protocol, int port, String service, String program) {
        String p = program == null ? "" : program.toLowerCase(Locale.ROOT);
        String s = service == null ? "" : service.toLowerCase(Locale.ROOT);
        if (protocol == Protocol.TCP) {
            if (port == 23 || port == 2323 || s.equals("telnet") || p.contains("telnetd")) {
                return Optional.of("telnet sends logins and passwords in cleartext");
            }
            if (port == 21 || s.equals("ftp") || p.contains("ftpd")) {
                return Optional.of("FTP sends logins, passwords and files in cleartext");
            }
            if (port == 512 || port == 513 || port == 514 || p.equals("rshd") || p.equals("rlogind") || p.equals("rexecd")) {
                return Optional.of("the r-services (rexec, rlogin, rsh) trust addresses and send everything in cleartext");
            }
            if ((port >= 6000 && port <= 6063) || s.equals("x11") || p.equals("xorg") || p.equals("x")) {
                return Optional.of("an X11 server lets anyone who can reach it read keystrokes and screens");
            }
            if ((port >= 5900 && port <= 5909) || s.startsWith("vnc") || p.contains("vnc")) {
                return Optional.of("VNC without TLS sends the screen, input and weak passwords in cleartext");
            }
            if (port == 161 || s.equals("snmp")) return Optional.of("SNMP v1/v2c authenticates with a cleartext community string");
            if (port == 502 || s.equals("mbap") || s.equals("modbus")) {
                return Optional.of("Modbus/TCP has no authentication: anyone who reaches it reads and writes the device's coils and registers");
            }
            if (port == 1883 || s.equals("mqtt")) {
                return Optional.of("MQTT without TLS sends user names, passwords and every message in cleartext");
            }
            if (port == 2404 || s.equals("iec-104")) {
                return Optional.of("IEC 60870-5-104 has no authentication: anyone who reaches it can send commands to the station");
            }
            if (port == 44818 || s.startsWith("ethernet-ip") || s.equals("enip")) {
                return Optional.of("EtherNet/IP (CIP) without CIP Security lets anyone who reaches it read and control the device");
            }
        } else {
            if (port == 5683 || s.equals("coap")) {
                return Optional.of("CoAP without DTLS has neither authentication nor encryption");
            }
            if (port == 47808 || s.equals("bacnet")) {
                return Optional.of("BACnet/IP has no authentication: anyone who reaches it reads and writes the device's objects");
            }
            if (port == 69 || s.equals("tftp") || p.contains("tftpd")) return Optional.of("TFTP has no authentication at all");
            if (port == 161 || port == 162 || s.startsWith("snmp") || p.contains("snmpd")) {
                return Optional.of("SNMP v1/v2c authenticates with a cleartext community string");
            }
        }
        return Optional.empty();
    }

    /**
     * What the scan proved about an insecure service, as a sentence, or empty: read from the weaknesses the scan's
     * -sV proved ({@code PortResult.weaknesses}, set by the identifiers; the banner is never read here) — an SNMP
     * agent that answered the default community {@code public}, a TFTP server that answered a read, a VNC server
     * offering security None, an MQTT broker that took a client without credentials, a CoAP server that listed its
     * resources, a Modbus device that gave its identification, an X server that let us in.
     */
    static Optional<String> provenByScan(io.portaudit.model.PortResult scan) {
        if (scan == null || scan.state() != io.portaudit.model.PortState.OPEN) return Optional.empty();
        for (Weakness w : scan.weaknesses()) {
            String d = w.detail() == null ? "" : " (" + w.detail() + ")";
            String s = switch (w.id()) {
                case Weakness.SNMP_COMMUNITY_PUBLIC -> "The scan read it with the default community \"public\": anyone who reaches the port "
                        + "reads the agent" + d;
                case Weakness.TFTP_UNAUTHENTICATED_READ -> "The scan got an answer to an unauthenticated read request" + d;
                case Weakness.VNC_NO_AUTH -> "The scan was offered a VNC session without any password: anyone who reaches the port sees "
                        + "and controls the screen" + d;
                case Weakness.MQTT_ANONYMOUS -> "The scan connected without a user name or password: anyone who reaches the broker can "
                        + "subscribe to every topic (#) and publish to any";
                case Weakness.COAP_UNAUTHENTICATED -> "The scan read the resource list without any authentication" + d;
                case Weakness.MODBUS_UNAUTHENTICATED -> "The scan read the device's identification without any authentication" + d;
                case Weakness.X11_NO_ACCESS_CONTROL -> "The scan opened an X11 session without any authentication: anyone who reaches "
                        + "the port can read keystrokes and the screen and inject input" + d;
                default -> null;
            };
            if (s != null) return Optional.of(s);
        }
        return Optional.empty();
    }
}
