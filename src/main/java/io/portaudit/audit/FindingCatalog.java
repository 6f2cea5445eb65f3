package io.portaudit.audit;

import io.portaudit.model.Severity;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every finding id portaudit emits, with its default severity and a one-line meaning (docs/FINDINGS.md). */
public final class FindingCatalog {
    public record Entry(Severity severity, String meaning) {}

    public static final Map<String, Entry> IDS;

    static {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("exposed-service", new Entry(Severity.MEDIUM, "a listener is reachable from the network"));
        m.put("weak-tls", new Entry(Severity.MEDIUM, "a TLS service has an expired certificate, a short key, a SHA-1/MD5 signature or an old protocol"));
        m.put("weak-ssh-crypto", new Entry(Severity.MEDIUM, "an SSH server offers broken or retired algorithms (SHA-1, DSA, CBC, RC4, MD5)"));
        m.put("insecure-protocol", new Entry(Severity.HIGH, "a cleartext/unauthenticated protocol (telnet, ftp, tftp, r-services, SNMP v1/v2c, X11, VNC, Modbus/TCP, IEC 104, EtherNet/IP, BACnet, MQTT, CoAP) is reachable"));
        m.put("open-without-listener", new Entry(Severity.MEDIUM, "the firewall accepts ports nobody listens on: a latent hole"));
        m.put("blocked-listener", new Entry(Severity.LOW, "a program listens but the firewall blocks it: one rule away from exposed"));
        m.put("ipv6-unfiltered", new Entry(Severity.HIGH, "filtered on IPv4, reachable (or not filtered at all) on IPv6"));
        m.put("ambiguous-listing", new Entry(Severity.MEDIUM, "iptables -L without -v hides interfaces/matches; a rule can be read two ways"));
        m.put("shadowed-rule", new Entry(Severity.LOW, "a rule never matches because earlier rules cover it"));
        m.put("accept-all-policy", new Entry(Severity.HIGH, "an input chain's policy ACCEPT decides most ports (no rules, or only a few DROP rules): they are open"));
        m.put("wide-accept-range", new Entry(Severity.MEDIUM, "a rule accepts a wide port range"));
        m.put("scan-disagrees", new Entry(Severity.HIGH, "the scan saw something the firewall and listener views do not explain"));
        m.put("wildcard-bind", new Entry(Severity.LOW, "bound to all addresses where loopback would serve"));
        m.put("policy-violation", new Entry(Severity.HIGH, "a port is reachable that the policy does not allow"));
        m.put("backend-conflict", new Entry(Severity.HIGH, "iptables-legacy and nftables rules are both present"));
        m.put("baseline-deviation", new Entry(Severity.MEDIUM, "a port, program or weakness differs from the golden unit's audit (audit --baseline MODEL)"));
        m.put("unparsed-input", new Entry(Severity.MEDIUM, "part of an input could not be read; the audit treats it as possibly open"));
        IDS = java.util.Collections.unmodifiableMap(m);
    }

    private FindingCatalog() {}

    /** What finding {@code id} means, one line, in the current language ({@code rule.ID.short}; SARIF's shortDescription). */
    public static String shortText(String id) {
        return io.portaudit.model.L10n.t("rule." + id + ".short");
    }

    /** What finding {@code id} means in full, with what it is reported on ({@code rule.ID.full}; SARIF's fullDescription). */
    public static String fullText(String id) {
        return io.portaudit.model.L10n.t("rule." + id + ".full");
    }

    /** How a finding {@code id} is usually fixed ({@code rule.ID.help}; SARIF's help). */
    public static String help(String id) {
        return io.portaudit.model.L10n.t("rule." + id + ".help");
    }
}
