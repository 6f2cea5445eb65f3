package io.portaudit.model;

/**
 * One range of ports that all get the same verdict for a remote NEW packet.
 *
 * @param rejectWith for REJECT: {@code icmp-port-unreachable}, {@code tcp-reset} ...; else null
 * @param rule       the rule or policy that decided it
 */
public record ExposureRange(PortRange range, Verdict verdict, String rejectWith, RuleRef rule) {}
