package io.portaudit.audit;

import io.portaudit.model.Finding;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A reviewable busybox-sh script with the firewall commands that close what the policy forbids.
 * portaudit never runs it. Service changes are written as comments: they need a person's decision.
 */
public final class FixScript {
    private FixScript() {}

    public static String render(AuditResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/sh\n");
        sb.append("# portaudit fix script for ").append(oneLine(r.snapshot().host())).append(" (").append(oneLine(r.snapshot().source()))
                .append("), collected ").append(r.snapshot().collectedAt()).append("\n");
        sb.append("# REVIEW BEFORE RUNNING. portaudit never runs this script. It closes the ports behind the findings that\n");
        sb.append("# fail the gate; commands that stop services are left as comments for a person to decide.\n");
        sb.append("# Rule numbers refer to the ruleset as collected: apply the deletions on an unchanged ruleset, top to bottom.\n");
        sb.append("# Make the result permanent afterwards (e.g. iptables-save > /etc/iptables/rules-save, or the device's own mechanism).\n");
        sb.append("set -eu\n\n");
        Set<String> done = new LinkedHashSet<>();
        int n = 0;
        for (Gate.Gated g : r.outcome().findings()) {
            if (g.status() != Gate.Status.FAILS) continue;
            Finding f = g.finding();
            sb.append("# [").append(f.severity().label()).append("] ").append(f.id()).append(": ").append(oneLine(f.title())).append('\n');
            for (String fix : f.remedy()) {
                String cmd = fix.strip();
                if (isFirewallCommand(cmd) && !cmd.contains("<N>")) {
                    if (done.add(cmd)) {
                        sb.append(cmd.replace("\n", " ")).append('\n');
                        n++;
                    } else {
                        sb.append("# (already above) ").append(oneLine(cmd)).append('\n');
                    }
                } else {
                    sb.append("# ").append(oneLine(cmd)).append('\n');
                }
            }
            sb.append('\n');
        }
        if (n == 0) sb.append("# nothing to do: no failing finding has a firewall fix\n");
        sb.append("echo 'portaudit fix script: ").append(n).append(" command(s) applied'\n");
        return sb.toString();
    }

    private static boolean isFirewallCommand(String cmd) {
        return cmd.startsWith("iptables ") || cmd.startsWith("ip6tables ") || cmd.startsWith("nft ");
    }

    /** Device strings go into comments only, on one line, without control characters. */
    private static String oneLine(String s) {
        if (s == null) return "";
        return s.replaceAll("[\\r\\n\\x00-\\x1f\\x7f]", " ");
    }
}
