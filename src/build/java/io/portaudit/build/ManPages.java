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
 * <p>Usage: {@code java -cp portaudit.jar src/build/java/io/portaudit/build/ManPages.java OUTDIR [DATE]}
 */
public final class ManPages {
    private ManPages() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ManPages OUTDIR [DATE]");
            System.exit(2);
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        String date = args.length > 1 ? args[1] : java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        CommandLine root = io.portaudit.cli.Main.commandLine();
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
        StringBuilder r = new StringBuilder();
        r.append(".\\\" Generated from portaudit's command-line model (src/build/java/io/portaudit/build/ManPages.java); do not edit.\n");
        r.append(".TH ").append(quote(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 ").append(quote(date)).append(' ')
                .append(quote(version)).append(' ').append(quote("portaudit manual")).append('\n');
        r.append(".SH NAME\n").append(esc(name)).append(" \\- ").append(esc(String.join(" ", spec.usageMessage().header()))).append('\n');

        r.append(".SH SYNOPSIS\n.nf\n");
        String synopsis = help.synopsis(0).stripTrailing();
        if (synopsis.startsWith("Usage: ")) synopsis = synopsis.substring(7);
        for (String line : synopsis.split("\n")) r.append(esc(line.strip().isEmpty() ? line : line)).append('\n');
        r.append(".fi\n");

        List<String> description = paragraphs(spec.usageMessage().description());
        if (!description.isEmpty()) {
            r.append(".SH DESCRIPTION\n");
            for (String p : description) r.append(".PP\n").append(esc(p)).append('\n');
        }

        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            r.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : positionals) {
                r.append(".TP\n\\fI").append(esc(p.paramLabel())).append("\\fR\n").append(esc(text(p))).append('\n');
            }
        }

        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            r.append(".SH OPTIONS\n");
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
            r.append(".SH COMMANDS\n");
            for (CommandLine c : subs) {
                CommandSpec s = c.getCommandSpec();
                r.append(".TP\n\\fB").append(esc(s.name())).append("\\fR\n").append(esc(String.join(" ", s.usageMessage().header())));
                if (!s.name().equals("help")) r.append(" See \\fB").append(esc(s.qualifiedName("-"))).append("\\fR(1).");
                r.append('\n');
            }
        }

        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            String heading = spec.usageMessage().footerHeading().replace("%n", "").replace(":", "").strip();
            r.append(".SH ").append(heading.isEmpty() ? "NOTES" : esc(heading.toUpperCase(java.util.Locale.ROOT))).append("\n.nf\n");
            for (String line : footer) r.append(esc(line.replace("%n", ""))).append('\n');
            r.append(".fi\n");
        }

        r.append(".SH SEE ALSO\n");
        List<String> see = new ArrayList<>();
        if (spec.parent() != null) see.add("\\fB" + esc(spec.parent().qualifiedName("-")) + "\\fR(1)");
        else for (CommandLine c : subs) if (!c.getCommandSpec().name().equals("help")) see.add("\\fB" + esc(c.getCommandSpec().qualifiedName("-")) + "\\fR(1)");
        see.add("README.md and docs/*.md in /usr/share/doc/portaudit");
        r.append(String.join(", ", see)).append('\n');
        return r.toString();
    }

    /** An argument's description lines as one paragraph, with its default value when help shows one. */
    private static String text(ArgSpec a) {
        String d = String.join(" ", a.description()).replace("%n", " ");
        return d.strip();
    }

    /** Description lines split at the empty lines picocli prints between paragraphs. */
    private static List<String> paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        for (String l : lines) {
            String line = l.replace("%n", "");
            if (line.isBlank()) {
                if (p.length() > 0) out.add(p.toString());
                p.setLength(0);
            } else {
                if (p.length() > 0) p.append(' ');
                p.append(line.strip());
            }
        }
        if (p.length() > 0) out.add(p.toString());
        return out;
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
