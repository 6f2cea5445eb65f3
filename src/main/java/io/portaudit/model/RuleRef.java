package io.portaudit.model;

/**
 * A pointer to the rule (or chain policy) that decided a verdict, for evidence and fixes.
 *
 * @param table  {@code filter}, {@code nat}, nft table name ...
 * @param chain  {@code INPUT}, a user chain, an nft chain
 * @param index  1-based rule number in the chain as {@code --line-numbers} counts; 0 for the chain policy
 * @param text   the rule as the input wrote it (the original line)
 * @param source file and line it came from, e.g. {@code iptables-L.txt:4}
 */
public record RuleRef(String table, String chain, int index, String text, String source) {
    public boolean isPolicy() {
        return index == 0;
    }

    public String label() {
        return isPolicy() ? L10n.t("rule.policy", chain) : L10n.t("rule.label", chain, index);
    }
}
