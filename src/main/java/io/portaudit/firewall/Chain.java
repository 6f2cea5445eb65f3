package io.portaudit.firewall;

import io.portaudit.model.Verdict;
import java.util.List;

/**
 * A chain. Base chains have a hook, a priority and a policy; user chains have none (policy null).
 *
 * @param type       nft chain type ({@code filter}, {@code nat}, {@code route}); iptables: the table's kind
 * @param policyText the line that set the policy ({@code :INPUT DROP [0:0]}, {@code Chain INPUT (policy DROP)})
 */
public record Chain(String name, Hook hook, int priority, String type, Verdict policy, String policyText,
                    String policySource, List<Rule> rules) {
    public Chain {
        rules = List.copyOf(rules);
    }

    public boolean isBase() {
        return hook != null;
    }
}
