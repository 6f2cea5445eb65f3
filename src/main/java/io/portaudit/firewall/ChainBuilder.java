package io.portaudit.firewall;

import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Mutable builders the parsers share; {@link #tables} checks jumps and freezes everything. */
final class ChainBuilder {
    final String name;
    Hook hook;
    int priority;
    String type;
    Verdict policy;
    String policyText;
    String policySource;
    final List<Rule> rules = new ArrayList<>();
    String declSource;

    ChainBuilder(String name) {
        this.name = name;
    }

    Chain build() {
        return new Chain(name, hook, priority, type, policy, policyText, policySource, rules);
    }

    /** The priority an iptables table registers its chains with (like nft's named priorities). */
    static int iptablesPriority(String table, Hook hook) {
        return switch (table) {
            case "raw" -> -300;
            case "mangle" -> -150;
            case "nat" -> hook == Hook.PREROUTING || hook == Hook.OUTPUT ? -100 : 100;
            case "security" -> 50;
            default -> 0;
        };
    }

    static Verdict policy(String p) {
        return switch (p == null ? "" : p.toUpperCase(Locale.ROOT)) {
            case "ACCEPT" -> Verdict.ACCEPT;
            case "DROP" -> Verdict.DROP;
            default -> null;
        };
    }

    /**
     * A line that could hold a rule and could not be read: a rule that matches every packet with a verdict nobody knows,
     * so that the ports it could touch (all of them, from its place on) are evaluated as unknown, never as decided.
     */
    static Rule unreadable(int index, String text, String source, int line) {
        return new Rule(index, List.of(), new Target.Unknown("(unreadable line)"), text, source, line, -1);
    }

    /** Appends (or, {@code first}, prepends) an unreadable-line rule to every chain of the table. */
    static void damageAll(TableBuilder t, String text, String source, int line, boolean first) {
        for (ChainBuilder cb : t.chains.values()) {
            Rule r = unreadable(first ? 1 : cb.rules.size() + 1, text, source, line);
            if (first) {
                List<Rule> renumbered = new ArrayList<>();
                renumbered.add(r);
                for (Rule x : cb.rules) renumbered.add(new Rule(x.index() + 1, x.matches(), x.target(), x.text(), x.source(), x.line(), x.handle()));
                cb.rules.clear();
                cb.rules.addAll(renumbered);
            } else {
                cb.rules.add(r);
            }
        }
    }

    /** One table being built. */
    static final class TableBuilder {
        final TableFamily family;
        final String name;
        final Map<String, ChainBuilder> chains = new LinkedHashMap<>();

        TableBuilder(TableFamily family, String name) {
            this.family = family;
            this.name = name;
        }

        ChainBuilder chain(String n) {
            return chains.computeIfAbsent(n, ChainBuilder::new);
        }

        /** Freezes the table; a jump to a chain that does not exist becomes an unknown target, reported once. */
        Table build(Problems problems) {
            List<Chain> out = new ArrayList<>();
            for (ChainBuilder cb : chains.values()) {
                for (int i = 0; i < cb.rules.size(); i++) {
                    Rule r = cb.rules.get(i);
                    String to = switch (r.target()) {
                        case Target.Jump j -> j.chain();
                        case Target.Goto g -> g.chain();
                        default -> null;
                    };
                    if (to != null && !chains.containsKey(to)) {
                        String src = r.source();
                        int colon = src.lastIndexOf(':');
                        int line = 0;
                        try {
                            line = Integer.parseInt(src.substring(colon + 1));
                        } catch (RuntimeException ignored) {
                            // keep 0
                        }
                        // every chain of the table is in the input: a jump to none of them is a damaged or cut input
                        problems.add(ParseProblem.error(colon > 0 ? src.substring(0, colon) : src, line, 0, r.text(),
                                io.portaudit.model.L10n.t("pp.target.unknown", io.portaudit.model.Text.printable(to, 40), name)));
                        cb.rules.set(i, new Rule(r.index(), r.matches(), new Target.Unknown(to), r.text(), r.source(), r.line(),
                                r.handle()));
                    }
                }
                out.add(cb.build());
            }
            return new Table(family, name, out);
        }
    }
}
