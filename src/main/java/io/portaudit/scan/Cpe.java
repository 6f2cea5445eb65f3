package io.portaudit.scan;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CPE names (2.2 URI form, as nmap writes them) of the products the identifiers name, where known. */
final class Cpe {
    private Cpe() {}

    /** Product as the identifiers name it (lower case) → vendor:product. */
    private static final Map<String, String> KNOWN = Map.of(
            "openssh", "openbsd:openssh",
            "dropbear sshd", "matt_johnston:dropbear_ssh_server",
            "lighttpd", "lighttpd:lighttpd",
            "nginx", "igor_sysoev:nginx",
            "apache", "apache:http_server",
            "vsftpd", "beasts:vsftpd",
            "mosquitto", "eclipse:mosquitto",
            "dnsmasq", "thekelleys:dnsmasq");

    /** The product's CPE, with its version when known; empty for a product not in the table. */
    static List<String> of(String product, String version) {
        if (product == null) return List.of();
        String vp = KNOWN.get(product.toLowerCase(Locale.ROOT));
        if (vp == null) return List.of();
        String v = version == null ? "" : version.split("[\\s(]", 2)[0].toLowerCase(Locale.ROOT);
        return List.of("cpe:/a:" + vp + (v.isEmpty() || !v.matches("[0-9a-z._+~-]+") ? "" : ":" + v));
    }
}
