package io.portaudit.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes one man page (roff, section 1) per command from the same picocli model that prints --help:
 * {@code portaudit.1}, {@code portaudit-audit.1}, ... Build-time only (tools/package-deb runs it with
 * the jar on the class path, in the JDK's source-file mode); it is not part of the shipped jar.
 *
 * <p>With {@code ja} the pages are Japanese (UTF-8): the same help texts as {@code portaudit --lang ja --help}
 * (cli.HelpTexts), Japanese section names, and a break point ({@code \:}) between Japanese characters, since
 * groff 1.22 breaks lines only at spaces (Japanese has none) and would overflow every paragraph.
 *
 * <p>Usage: {@code java -cp portaudit.jar src/build/java/io/portaudit/build/ManPages.java OUTDIR [DATE] [en|ja]}
 */
public final class ManPages {
    private ManPages() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ManPages OUTDIR [DATE] [en|ja]");
            System.exit(2);
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        String date = args.length > 1 ? args[1] : java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        boolean ja = args.length > 2 && args[2].equals("ja");
        if (args.length > 2 && !ja && !args[2].equals("en")) {
            System.err.println("ManPages: the language is en or ja, not '" + args[2] + "'");
            System.exit(2);
        }
        io.portaudit.model.L10n.set(ja ? io.portaudit.model.L10n.Lang.JA : io.portaudit.model.L10n.Lang.EN);
        CommandLine root = io.portaudit.cli.Main.commandLine();
        io.portaudit.cli.HelpTexts.apply(root);
        String version = root.getCommandSpec().version().length > 0 ? root.getCommandSpec().version()[0] : "portaudit";
        List<Path> written = new ArrayList<>();
        write(root, out, date, version, written);
        for (Path p : written) System.out.println(p);
    }

    private static void write(CommandLine cl, Path out, String date, String version, List<Path> written) throws IOException {
        CommandSpec spec = cl.getCommandSpec();
        String name = spec.qualifiedName("-");
        Path file = out.resolve(name + ".1");
        Files.writeString(file, page(cl, date, version), StandardCharsets.UTF_8);
        written.add(file);
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help") || sub.getValue().getCommandSpec().usageMessage().hidden()) continue;
            if (!sub.getKey().equals(sub.getValue().getCommandSpec().name())) continue;   // an alias
            write(sub.getValue(), out, date, version, written);
        }
    }

    /** The page of one command. */
    static String page(CommandLine cl, String date, String version) {
        CommandSpec spec = cl.getCommandSpec();
        CommandLine.Help help = cl.getHelp();
        String name = spec.qualifiedName("-");
        boolean ja = io.portaudit.model.L10n.ja();
        StringBuilder r = new StringBuilder();
        r.append(".\\\" Generated from portaudit's command-line model (src/build/java/io/portaudit/build/ManPages.java); do not edit.\n");
        r.append(".TH ").append(quote(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 ").append(quote(date)).append(' ')
                .append(quote(version)).append(' ').append(quote(ja ? "portaudit マニュアル" : "portaudit manual")).append('\n');
        // Japanese: left-adjusted (no stretched spaces between words in a line of Japanese), no hyphenation
        if (ja) r.append(".ad l\n.nh\n");
        r.append(".SH ").append(ja ? "名前" : "NAME").append('\n').append(esc(name)).append(" \\- ").append(esc(String.join(" ", spec.usageMessage().header()))).append('\n');

        r.append(".SH ").append(ja ? "書式" : "SYNOPSIS").append("\n.nf\n");
        String synopsis = help.synopsis(0).stripTrailing();
        if (synopsis.startsWith("Usage: ")) synopsis = synopsis.substring(7);
        if (synopsis.startsWith("使い方: ")) synopsis = synopsis.substring(5);
        for (String line : synopsis.split("\n")) r.append(esc(line.strip().isEmpty() ? line : line)).append('\n');
        r.append(".fi\n");

        List<String> description = paragraphs(spec.usageMessage().description());
        if (!description.isEmpty()) {
            r.append(".SH ").append(ja ? "説明" : "DESCRIPTION").append('\n');
            for (String p : description) {
                // a table (store's and fleet's actions): its lines as they are
                if (p.startsWith(TABLE)) table(r, p.substring(TABLE.length()));
                else r.append(".PP\n").append(esc(p)).append('\n');
            }
        }

        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            r.append(".SH ").append(ja ? "引数" : "ARGUMENTS").append('\n');
            for (PositionalParamSpec p : positionals) {
                r.append(".TP\n\\fI").append(esc(p.paramLabel())).append("\\fR\n").append(esc(text(p))).append('\n');
            }
        }

        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            r.append(".SH ").append(ja ? "オプション" : "OPTIONS").append('\n');
            for (OptionSpec o : options) {
                r.append(".TP\n");
                List<String> names = new ArrayList<>();
                for (String n : o.names()) names.add("\\fB" + esc(n) + "\\fR");
                r.append(String.join(", ", names));
                if (o.typeInfo() != null && !o.typeInfo().isBoolean() && o.arity().max() > 0) {
                    r.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
                }
                r.append('\n').append(esc(text(o))).append('\n');
            }
        }

        List<CommandLine> subs = new ArrayList<>();
        cl.getSubcommands().forEach((n, c) -> {
            if (n.equals(c.getCommandSpec().name()) && !c.getCommandSpec().usageMessage().hidden()) subs.add(c);
        });
        if (!subs.isEmpty()) {
            r.append(".SH ").append(ja ? "コマンド" : "COMMANDS").append('\n');
            for (CommandLine c : subs) {
                CommandSpec s = c.getCommandSpec();
                r.append(".TP\n\\fB").append(esc(s.name())).append("\\fR\n").append(esc(String.join(" ", s.usageMessage().header())));
                if (!s.name().equals("help") && ja) r.append("詳しくは \\fB").append(esc(s.qualifiedName("-"))).append("\\fR(1) を参照。");
                else if (!s.name().equals("help")) r.append(" See \\fB").append(esc(s.qualifiedName("-"))).append("\\fR(1).");
                r.append('\n');
            }
        }

        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            String heading = spec.usageMessage().footerHeading().replace("%n", "").replace(":", "").strip();
            r.append(".SH ").append(heading.isEmpty() ? (ja ? "注意" : "NOTES") : esc(heading.toUpperCase(java.util.Locale.ROOT))).append("\n.nf\n");
            for (String line : footer) r.append(esc(line.replace("%n", ""))).append('\n');
            r.append(".fi\n");
        }

        r.append(".SH ").append(ja ? "関連項目" : "SEE ALSO").append('\n');
        List<String> see = new ArrayList<>();
        if (spec.parent() != null) see.add("\\fB" + esc(spec.parent().qualifiedName("-")) + "\\fR(1)");
        else for (CommandLine c : subs) if (!c.getCommandSpec().name().equals("help")) see.add("\\fB" + esc(c.getCommandSpec().qualifiedName("-")) + "\\fR(1)");
        see.add(ja ? "/usr/share/doc/portaudit の README.md と docs/*.md" : "README.md and docs/*.md in /usr/share/doc/portaudit");
        r.append(String.join(", ", see)).append('\n');
        return ja ? breakable(r.toString()) : r.toString();
    }

    /** An argument's description lines as one paragraph, with its default value when help shows one. */
    private static String text(ArgSpec a) {
        String d = String.join(" ", a.description()).replace("%n", " ");
        return d.strip();
    }

    /**
     * A table of the description ({@code "  run FLEET.yaml   audit every device..."}, a row's text perhaps continued on
     * lines indented to its column) as one tagged paragraph per row.
     */
    private static void table(StringBuilder r, String rows) {
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\s+(\\S.*?)\\s{2,}(\\S.*)$");
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String line : rows.split("\n")) {
            java.util.regex.Matcher m = row.matcher(line);
            boolean continued = name != null && line.length() - line.stripLeading().length() > 4;
            if (!continued && m.matches()) {
                if (name != null) r.append(".TP\n\\fB").append(esc(name)).append("\\fR\n").append(esc(text.toString())).append('\n');
                name = m.group(1);
                text.setLength(0);
                text.append(m.group(2).strip());
            } else if (name != null) {
                String more = line.strip();
                // Japanese runs on without a space; other text gets one
                boolean joined = text.length() > 0 && !more.isEmpty() && wide(text.charAt(text.length() - 1)) && wide(more.charAt(0));
                text.append(joined ? "" : " ").append(more);
            } else {
                r.append(".PP\n").append(esc(line.strip())).append('\n');
            }
        }
        if (name != null) r.append(".TP\n\\fB").append(esc(name)).append("\\fR\n").append(esc(text.toString())).append('\n');
    }

    /** Marks a paragraph of indented lines (a table), kept line by line. */
    private static final String TABLE = "\u0000table\n";

    /** Description lines split at the empty lines picocli prints between paragraphs; indented lines form a table. */
    private static List<String> paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        boolean table = false;
        for (String l : lines) {
            String line = l.replace("%n", "");
            if (line.isBlank()) {
                if (p.length() > 0) out.add(table ? TABLE + p : p.toString());
                p.setLength(0);
                table = false;
            } else if (line.startsWith("  ") && (p.length() == 0 || table)) {
                if (p.length() > 0) p.append('\n');
                p.append(line.stripTrailing());
                table = true;
            } else {
                if (p.length() > 0) p.append(' ');
                p.append(line.strip());
            }
        }
        if (p.length() > 0) out.add(table ? TABLE + p : p.toString());
        return out;
    }

    /**
     * Japanese text with a zero-width break point ({@code \:}) next to each Japanese character, except before those a
     * Japanese line does not start with (、。」 and so on: kinsoku) and after opening brackets.
     */
    static String breakable(String page) {
        StringBuilder out = new StringBuilder(page.length() * 2);
        for (int i = 0; i < page.length(); i++) {
            char c = page.charAt(i);
            out.append(c);
            if (i + 1 >= page.length()) break;
            char next = page.charAt(i + 1);
            if (Character.isWhitespace(next) || NO_LINE_START.indexOf(next) >= 0) continue;
            // after a Japanese character (not an opening bracket), before one (not after an opening bracket or a backslash)
            boolean after = wide(c) && "（「『【〔".indexOf(c) < 0;
            boolean before = wide(next) && !Character.isWhitespace(c) && "([{'\"\\".indexOf(c) < 0;
            if (after || before) out.append("\\:");
        }
        return out.toString();
    }

    private static final String NO_LINE_START = "、。，．・：；？！）」』】〕ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々";

    private static boolean wide(char c) {
        return (c >= '\u3000' && c <= '\u30ff') || (c >= '\u4e00' && c <= '\u9fff') || (c >= '\uff00' && c <= '\uffef');
    }

    /** roff text: backslashes, and a leading dot or quote that roff would take for a request. */
    static String esc(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        StringBuilder out = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            if (out.length() > 0) out.append('\n');
            if (line.startsWith(".") || line.startsWith("'")) out.append("\\&");
            out.append(line);
        }
        return out.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "'") + "\"";
    }
}
