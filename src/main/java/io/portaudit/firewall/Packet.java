package io.portaudit.firewall;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Protocol;
import java.math.BigInteger;

/**
 * The packet an evaluation asks about (its destination port is the variable).
 *
 * @param iface   input interface; null = some non-loopback interface (a remote host)
 * @param source  source address; null = any remote host
 * @param dest    destination address; null = one of the device's own addresses
 * @param ctState conntrack state, {@code NEW} by default
 */
public record Packet(AddressFamily family, Protocol protocol, String iface, BigInteger source, BigInteger dest, String ctState) {

    /** A NEW connection from a remote host on a non-loopback interface, any source. */
    public static Packet remote(AddressFamily family, Protocol protocol) {
        return new Packet(family, protocol, null, null, null, "NEW");
    }

    public Packet withIface(String i) {
        return new Packet(family, protocol, i, source, dest, ctState);
    }

    public Packet withSource(BigInteger s) {
        return new Packet(family, protocol, iface, s, dest, ctState);
    }

    public Packet withDest(BigInteger d) {
        return new Packet(family, protocol, iface, source, d, ctState);
    }
}
