package io.portaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --json} and {@code -o FORMAT[:FILE]}: where and how results are written. */
public class OutputOptions {

    /** One requested output: a format, and a file or null for standard output. */
    public record Target(String format, Path file) {}

    @Option(names = "--json", description = "Write JSON to standard output instead of text (same as -o json).")
    boolean json;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT[:FILE]",
            description = "Write a report in FORMAT to FILE (standard output without FILE). Repeatable. "
                    + "Formats depend on the command (text, json, ...).")
    List<String> outputs = new ArrayList<>();

    public boolean json() {
        return json;
    }

    /** Renders one output in one format. */
    @FunctionalInterface
    public interface Renderer {
        void render(String format, PrintWriter out) throws IOException;
    }

    /**
     * Writes every requested output: standard output as it goes, a file only once it is complete
     * (a failed render never leaves half a report behind). A format the command does not write is a
     * usage error, checked before anything is written.
     */
    public void write(PrintWriter stdout, PrintWriter err, boolean quiet, String command, Set<String> formats, Renderer renderer) {
        for (Target t : targets()) {
            if (!formats.contains(t.format())) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.output.formats", command, String.join(", ", new TreeSet<>(formats)), t.format()));
            }
        }
        for (Target t : targets()) {
            try {
                if (t.file() == null) {
                    renderer.render(t.format(), stdout);
                    stdout.flush();
                } else {
                    StringWriter buf = new StringWriter();
                    PrintWriter w = new PrintWriter(buf);
                    renderer.render(t.format(), w);
                    w.flush();
                    Files.writeString(t.file(), buf.toString(), StandardCharsets.UTF_8);
                    if (!quiet) err.println("portaudit: " + io.portaudit.model.L10n.t("cli.wrote", t.format(), t.file()));
                }
            } catch (IOException e) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.cannotwrite", t.file() == null ? io.portaudit.model.L10n.t("cmd.stdout") : t.file(), io.portaudit.model.IoErrors.reason(e)));
            }
        }
    }

    /** The requested outputs; text on standard output when none was asked for. */
    public List<Target> targets() {
        List<Target> list = new ArrayList<>();
        if (json) list.add(new Target("json", null));
        for (String o : outputs) {
            int colon = o.indexOf(':');
            String format = (colon < 0 ? o : o.substring(0, colon)).toLowerCase(Locale.ROOT);
            Path file = colon < 0 || colon == o.length() - 1 ? null : Path.of(o.substring(colon + 1));
            list.add(new Target(format, file));
        }
        if (list.isEmpty()) list.add(new Target("text", null));
        return list;
    }
}
