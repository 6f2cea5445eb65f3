package io.portaudit.model;

/**
 * One scanned port on one target.
 *
 * @param address the target address (literal)
 * @param reason  nmap's reason: {@code syn-ack}, {@code conn-refused}, {@code no-response}, {@code udp-response},
 *                {@code port-unreach}, {@code host-unreach} ...
 * @param service service name (from the table, or detected); null when unknown
 * @param banner  raw greeting/banner read from the service, or null
 */
public record PortResult(String address, Protocol protocol, int port, PortState state, String reason, String service,
                         String product, String version, String banner) {
    public AddressFamily family() {
        return address.contains(":") ? AddressFamily.IPV6 : AddressFamily.IPV4;
    }
}
