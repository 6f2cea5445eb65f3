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

    /** The destination port(s) after nat, and the nat rule that changed it. */
    public record Redirect(PortRange to, RuleRef rule) {}

    public ExposureRange(PortRange range, Verdict verdict, String rejectWith, RuleRef rule) {
        this(range, verdict, rejectWith, rule, null);
    }

    /** The ports a listener must hold for a packet to these ports to be answered. */
    public PortRange deliveredTo(int port) {
        return redirect == null ? PortRange.of(port) : redirect.to();
    }
}
