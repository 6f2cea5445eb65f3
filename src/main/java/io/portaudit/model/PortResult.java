package io.portaudit.model;

import java.util.List;
import java.util.Optional;

/**
 * One scanned port on one target, with what the service identification ({@code -sV}) learned, as nmap keeps it
 * (its {@code serviceDeductions}): the facts are fields, never to be read back out of the banner.
 *
 * @param address    the target address (literal)
 * @param reason     nmap's reason: {@code syn-ack}, {@code conn-refused}, {@code no-response}, {@code udp-response},
 *                   {@code port-unreach}, {@code host-unreach} ...
 * @param service    service name (from the table, or detected); null when unknown
 * @param product    the product the service named (e.g. {@code OpenSSH}); null when unknown
 * @param version    its version; null when unknown
 * @param extraInfo  nmap's extra info (HTTP status and title, a protocol detail); null when none
 * @param tunnel     {@code ssl} when the service was found inside TLS; else null
 * @param cpe        CPE names of the product where known ({@code cpe:/a:openbsd:openssh:7.4}); empty when not
 * @param method     {@code probed} when identified by talking to it, {@code table} when named from the port table, null
 *                   when neither
 * @param banner     raw greeting/banner read from the service, or null (for people: nothing reads facts from it)
 * @param weaknesses what the identification proved weak ({@link Weakness}); empty when nothing was
 */
public record PortResult(String address, Protocol protocol, int port, PortState state, String reason, String service,
                         String product, String version, String extraInfo, String tunnel, List<String> cpe, String method,
                         String banner, List<Weakness> weaknesses) {
    public PortResult {
        cpe = cpe == null ? List.of() : List.copyOf(cpe);
        weaknesses = weaknesses == null ? List.of() : List.copyOf(weaknesses);
    }

    /** Without identification details (a connect scan, a table name). */
    public PortResult(String address, Protocol protocol, int port, PortState state, String reason, String service,
                      String product, String version, String banner) {
        this(address, protocol, port, state, reason, service, product, version, null, null, List.of(), null, banner, List.of());
    }

    public AddressFamily family() {
        return address.contains(":") ? AddressFamily.IPV6 : AddressFamily.IPV4;
    }

    /** The first weakness of this id, if proven. */
    public Optional<Weakness> weakness(String id) {
        return weaknesses.stream().filter(w -> w.id().equals(id)).findFirst();
    }

    /** The same port with other identification (the address, state and reason stay). */
    public PortResult identified(String newService, String newProduct, String newVersion, String newExtraInfo, String newTunnel,
                                 List<String> newCpe, String newMethod, String newBanner, List<Weakness> newWeaknesses) {
        return new PortResult(address, protocol, port, state, reason, newService, newProduct, newVersion, newExtraInfo, newTunnel,
                newCpe, newMethod, newBanner, newWeaknesses);
    }
}
