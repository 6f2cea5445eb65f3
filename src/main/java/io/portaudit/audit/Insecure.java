package io.portaudit.audit;

import io.portaudit.model.L10n;
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
                return Optional.of(L10n.t("insecure.telnet"));
            }
            if (port == 21 || s.equals("ftp") || p.contains("ftpd")) {
                return Optional.of(L10n.t("insecure.ftp"));
            }
            if (port == 512 || port == 513 || port == 514 || p.equals("rshd") || p.equals("rlogind") || p.equals("rexecd")) {
                return Optional.of(L10n.t("insecure.rsvc"));
            }
            if ((port >= 6000 && port <= 6063) || s.equals("x11") || p.equals("xorg") || p.equals("x")) {
                return Optional.of(L10n.t("insecure.x11"));
            }
            if ((port >= 5900 && port <= 5909) || s.startsWith("vnc") || p.contains("vnc")) {
                return Optional.of(L10n.t("insecure.vnc"));
            }
            if (port == 161 || s.equals("snmp")) return Optional.of(L10n.t("insecure.snmp"));
            if (port == 502 || s.equals("mbap") || s.equals("modbus")) {
                return Optional.of(L10n.t("insecure.modbus"));
            }
            if (port == 1883 || s.equals("mqtt")) {
                return Optional.of(L10n.t("insecure.mqtt"));
            }
            if (port == 2404 || s.equals("iec-104")) {
                return Optional.of(L10n.t("insecure.iec104"));
            }
            if (port == 44818 || s.startsWith("ethernet-ip") || s.equals("enip")) {
                return Optional.of(L10n.t("insecure.enip"));
            }
        } else {
            if (port == 5683 || s.equals("coap")) {
                return Optional.of(L10n.t("insecure.coap"));
            }
            if (port == 47808 || s.equals("bacnet")) {
                return Optional.of(L10n.t("insecure.bacnet"));
            }
            if (port == 69 || s.equals("tftp") || p.contains("tftpd")) return Optional.of(L10n.t("insecure.tftp"));
            if (port == 161 || port == 162 || s.startsWith("snmp") || p.contains("snmpd")) {
                return Optional.of(L10n.t("insecure.snmp"));
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
                case Weakness.SNMP_COMMUNITY_PUBLIC -> L10n.t("proven.snmp") + d;
                case Weakness.TFTP_UNAUTHENTICATED_READ -> L10n.t("proven.tftp") + d;
                case Weakness.VNC_NO_AUTH -> L10n.t("proven.vnc") + d;
                case Weakness.MQTT_ANONYMOUS -> L10n.t("proven.mqtt");
                case Weakness.COAP_UNAUTHENTICATED -> L10n.t("proven.coap") + d;
                case Weakness.MODBUS_UNAUTHENTICATED -> L10n.t("proven.modbus") + d;
                case Weakness.X11_NO_ACCESS_CONTROL -> L10n.t("proven.x11") + d;
                default -> null;
            };
            if (s != null) return Optional.of(s);
        }
        return Optional.empty();
    }
}
