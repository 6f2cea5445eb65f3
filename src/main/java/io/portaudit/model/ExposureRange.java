package io.portaudit.model;

/**
 * One range of ports that all get the same verdict for a remote NEW packet.
 *
 * @param rejectWith for REJECT: {@code icmp-port-unreachable}, {@code tcp-reset} ...; else null
 * @param rule       the rule or policy that decided it
 * @param redirect   when nat PREROUTING (REDIRECT, or DNAT to this host) changed the port: where the packet
 *                   is delivered and which rule changed it; the verdict is the one the new port meets. Else null
 */
public record ExposureRange(PortRange range, Verdict verdict, String rejectWith, RuleRef rule, Redirect redirect) {

    /**
     * Where nat PREROUTING sends the packet, and the rule that does it.
     *
     * @param to        the destination port(s) after nat; null when only the address changes (the port stays)
     * @param toAddress the new destination address of a DNAT to another host (a container behind a bridge,
     *                  another machine): the packet is forwarded and {@link ExposureRange#verdict} is what the
     *                  FORWARD path does with it; null for REDIRECT (and DNAT without an address): delivered here
     */
    public record Redirect(PortRange to, RuleRef rule, String toAddress) {
        public Redirect(PortRange to, RuleRef rule) {
            this(to, rule, null);
        }

        /** Forwarded to another address, not delivered to this host's sockets. */
        public boolean forwarded() {
            return toAddress != null;
        }

        /** {@code 23}, {@code 10.88.0.2:80}, {@code [fd00::2]:80}, {@code 10.88.0.2} (port unchanged). */
        public String target() {
            String port = to == null ? "" : to.toString();
            if (toAddress == null) return port;
            String a = toAddress.contains(":") ? "[" + toAddress + "]" : toAddress;
            return port.isEmpty() ? a : a + ":" + port;
        }
    }

    public ExposureRange(PortRange range, Verdict verdict, String rejectWith, RuleRef rule) {
        this(range, verdict, rejectWith, rule, null);
    }

    /** The ports a listener must hold for a packet to these ports to be answered. */
    public PortRange deliveredTo(int port) {
        return redirect == null || redirect.to() == null ? PortRange.of(port) : redirect.to();
    }
}
