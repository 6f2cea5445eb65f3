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
                        problems.add(ParseProblem.warning(colon > 0 ? src.substring(0, colon) : src, line, 0, r.text(),
                                "target '" + to + "' is neither a known target nor a chain of table " + name
                                        + ": treated as possibly accepting"));
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
