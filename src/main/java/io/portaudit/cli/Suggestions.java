package io.portaudit.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * "Did you mean 'audit'?" for a misspelled command or option: the visible names closest to what was
 * typed by edit distance (a swap of two neighbours counts as one edit), at most three of them.
 */
final class Suggestions {
    private Suggestions() {}

    /** The message and the suggestion line for an argument picocli could not match, or null for other errors. */
    static List<String> explain(CommandLine.UnmatchedArgumentException ex) {
        List<String> unmatched = ex.getUnmatched();
        if (unmatched.isEmpty()) return null;
        String arg = unmatched.get(0);
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        List<String> out = new ArrayList<>();
        List<String> near;
        if (arg.startsWith("-")) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            List<String> names = new ArrayList<>();
            for (OptionSpec o : spec.options()) if (!o.hidden()) names.addAll(List.of(o.names()));
            near = closest(name, names);
            out.add(spec.parent() == null ? io.portaudit.model.L10n.t("cmd.pc.unknownoption", name) : io.portaudit.model.L10n.t("cmd.pc.unknownoptionfor", name, spec.qualifiedName()));
        } else if (!spec.subcommands().isEmpty()) {
            List<String> names = new ArrayList<>();
            spec.subcommands().forEach((n, cl) -> { if (!cl.getCommandSpec().usageMessage().hidden()) names.add(n); });
            near = closest(arg, names);
            out.add(io.portaudit.model.L10n.t("cmd.pc.unknowncommand", arg));
        } else {
            return null;
        }
        if (!near.isEmpty()) {
            out.add(near.size() == 1 ? io.portaudit.model.L10n.t("cmd.pc.didyoumean", near.get(0))
                    : io.portaudit.model.L10n.t("cmd.pc.didyoumeanof", String.join(", ", near.stream().map(n -> "'" + n + "'").toList())));
        }
        return out;
    }

    /** The candidates within a few edits of {@code typed} (more edits allowed for longer words), closest first. */
    static List<String> closest(String typed, List<String> candidates) {
        String t = typed.toLowerCase(java.util.Locale.ROOT);
        record Scored(String name, int distance) {}
        List<Scored> scored = new ArrayList<>();
        for (String c : candidates) {
            String bare = c.replaceFirst("^-+", "");
            String tb = t.replaceFirst("^-+", "");
            int d = distance(tb, bare.toLowerCase(java.util.Locale.ROOT));
            int allowed = Math.max(1, Math.min(3, bare.length() / 3));
            // a prefix of a long name also counts (--acc for --accept-unreadable)
            boolean prefix = tb.length() >= 3 && bare.startsWith(tb);
            if (d <= allowed || prefix) scored.add(new Scored(c, prefix ? 0 : d));
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
        List<String> out = new ArrayList<>();
        for (Scored s : scored) if (!out.contains(s.name()) && out.size() < 3) out.add(s.name());
        return out;
    }

    /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
