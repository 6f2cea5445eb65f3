package io.portaudit.firewall;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * A rule whose interface an {@code iptables -L} listing without {@code -v} hid, and which portaudit
 * reads as {@code -i lo} (ambiguous-listing): what the other, literal reading (every interface) would
 * let a remote host reach, so that other evidence (a scan) can settle which reading is true.
 *
 * @param chain   the chain, e.g. {@code INPUT}
 * @param index   the rule's number in its chain
 * @param text    the listing line
 * @param source  {@code file:line} of the listing line
 * @param family  the rule's address family
 * @param literal the exposures (tcp, udp) of the literal reading
 */
public record HiddenInterface(String chain, int index, String text, String source, AddressFamily family, List<Exposure> literal) {
    public HiddenInterface {
        literal = List.copyOf(literal);
    }

    public Optional<Exposure> literal(Protocol p) {
        return literal.stream().filter(e -> e.protocol() == p).findFirst();
    }
}
