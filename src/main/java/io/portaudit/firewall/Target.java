package io.portaudit.firewall;

/** What a rule does when it matches. Closed family. */
public sealed interface Target {
    record Accept() implements Target {}
    record Drop() implements Target {}
    /** {@code REJECT --reject-with TYPE}; type as iptables names it ({@code icmp-port-unreachable}, {@code tcp-reset}). */
    record Reject(String with) implements Target {}
    record Return() implements Target {}
    record Jump(String chain) implements Target {}
    record Goto(String chain) implements Target {}
    /** A target that does not decide ({@code LOG}, {@code MARK}, {@code counter}...): evaluation goes on. */
    record Continue(String name) implements Target {}
    /**
     * {@code DNAT}/{@code REDIRECT}: the packet's destination port becomes {@code toPort} (0 = unchanged);
     * {@code toAddress} non-null when DNAT sends it to another address (then it may leave INPUT).
     */
    record Nat(String kind, int toPortFrom, int toPortTo, String toAddress) implements Target {}
    /** A rule with no verdict at all (nft rule with only counters): same as {@link Continue}. */
    record None() implements Target {}
    /** Not understood: evaluated as "may let the packet through". */
    record Unknown(String text) implements Target {}

    default String label() {
        return switch (this) {
            case Accept a -> "ACCEPT";
            case Drop d -> "DROP";
            case Reject r -> "REJECT" + (r.with() == null ? "" : " --reject-with " + r.with());
            case Return r -> "RETURN";
            case Jump j -> "jump " + j.chain();
            case Goto g -> "goto " + g.chain();
            case Continue c -> c.name();
            case Nat n -> n.kind();
            case None n -> "(no verdict)";
            case Unknown u -> "unknown " + u.text();
        };
    }
}
