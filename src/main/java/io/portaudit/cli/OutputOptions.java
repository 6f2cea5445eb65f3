package io.portaudit.cli;

import java.nio.file.Path;
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
