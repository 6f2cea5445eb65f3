package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.L10n;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Issue 20: {@code --help} in Japanese. Walks the whole command tree: every command and every option and parameter has
 * an English text (its annotation) and a Japanese one (help_ja.properties through {@link HelpTexts}); no key of
 * help_ja.properties matches nothing (a renamed option would leave its text behind); every command's Japanese help has
 * no English sentence left (CliJapaneseTest's heuristic) and the English help has no Japanese.
 */
class HelpTextsTest {
    private static final Pattern JAPANESE = Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");

    @TempDir
    Path dir;

    @AfterEach
    void english() {
        L10n.set(L10n.Lang.EN);
    }

    /** Every command of the tree by its path of names (the root: an empty path); aliases and the help command's own once. */
    private static Map<List<String>, CommandLine> commands(CommandLine root) {
        Map<List<String>, CommandLine> all = new LinkedHashMap<>();
        walk(root, List.of(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> path, Map<List<String>, CommandLine> all) {
        all.put(path, cl);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandSpec().name())) return;   // an alias
            List<String> p = new ArrayList<>(path);
            p.add(name);
            walk(sub, p, all);
        });
    }

    private static String text(String[] lines) {
        return String.join("\n", lines).strip();
    }

    private static List<ArgSpec> args(CommandSpec spec) {
        List<ArgSpec> out = new ArrayList<>();
        for (OptionSpec o : spec.options()) if (!o.hidden()) out.add(o);
        for (PositionalParamSpec p : spec.positionalParameters()) if (!p.hidden()) out.add(p);
        return out;
    }

    private static String name(ArgSpec a) {
        return a instanceof OptionSpec o ? o.longestName() : ((PositionalParamSpec) a).paramLabel();
    }

    @Test
    void everyCommandAndOptionHasAnEnglishAndAJapaneseText() {
        List<String> missing = new ArrayList<>();
        Map<List<String>, CommandLine> en = commands(Main.commandLine());
        L10n.set(L10n.Lang.JA);
        CommandLine jaRoot = Main.commandLine();
        HelpTexts.apply(jaRoot);
        Map<List<String>, CommandLine> ja = commands(jaRoot);
        L10n.set(L10n.Lang.EN);
        assertThat(ja.keySet()).isEqualTo(en.keySet());
        assertThat(en).hasSizeGreaterThan(20);   // the root, 15 commands, fleet's 6, help
        int checked = 0;
        for (List<String> path : en.keySet()) {
            String where = "portaudit " + String.join(" ", path);
            CommandSpec e = en.get(path).getCommandSpec(), j = ja.get(path).getCommandSpec();
            if (text(e.usageMessage().header()).isEmpty()) missing.add(where + ": no English header");
            if (!JAPANESE.matcher(text(j.usageMessage().header())).find()) missing.add(where + ": no Japanese header");
            // each description and footer line with English words in it has its Japanese
            for (String part : List.of("description", "footer")) {
                String[] enLines = part.equals("description") ? e.usageMessage().description() : e.usageMessage().footer();
                String[] jaLines = part.equals("description") ? j.usageMessage().description() : j.usageMessage().footer();
                if (text(enLines).matches("(?s).*[a-z]{3,}.*") && !JAPANESE.matcher(text(jaLines)).find()) missing.add(where + ": no Japanese " + part);
                if (String.join("\n", jaLines).equals(String.join("\n", enLines)) && !text(enLines).isEmpty()) missing.add(where + ": " + part + " still English");
            }
            List<ArgSpec> enArgs = args(e), jaArgs = args(j);
            assertThat(jaArgs).hasSameSizeAs(enArgs);
            for (int i = 0; i < enArgs.size(); i++) {
                String n = name(enArgs.get(i));
                assertThat(name(jaArgs.get(i))).isEqualTo(n);
                if (text(enArgs.get(i).description()).isEmpty()) missing.add(where + " " + n + ": no English description");
                if (!JAPANESE.matcher(text(jaArgs.get(i).description())).find()) missing.add(where + " " + n + ": no Japanese description");
                checked++;
            }
        }
        assertThat(missing).isEmpty();
        assertThat(checked).isGreaterThan(250);
    }

    /** The keys a command tree can look up, by picocli's rules (Messages: the command-qualified key first, then the bare one). */
    private static Set<String> keysLookedUp(CommandLine root) {
        Set<String> keys = new TreeSet<>(List.of("usage.synopsisHeading", "usage.commandListHeading"));
        for (CommandLine cl : commands(root).values()) {
            CommandSpec spec = cl.getCommandSpec();
            String q = spec.qualifiedName(".");
            for (String k : List.of("usage.header", "usage.description", "usage.footer", "usage.footerHeading")) keys.add(q + "." + k);
            for (ArgSpec a : args(spec)) {
                List<String> names = new ArrayList<>();
                if (a.descriptionKey() != null && !a.descriptionKey().isEmpty()) names.add(a.descriptionKey());
                if (a instanceof OptionSpec o) for (String n : o.names()) names.add(n.replaceFirst("^-+", ""));
                if (a instanceof PositionalParamSpec p) names.add(p.paramLabel() + "[" + p.index() + "]");
                for (String n : names) {
                    keys.add(q + "." + n);
                    keys.add(n);
                }
            }
        }
        return keys;
    }

    @Test
    void everyKeyOfTheJapaneseHelpIsLookedUp() {
        Set<String> used = keysLookedUp(Main.commandLine());
        List<String> unused = new ArrayList<>();
        for (String key : Collections.list(HelpTexts.helpJa().getKeys())) {
            String base = key.replaceFirst("\\.\\d+$", "");   // the lines of a multi-line text: KEY.0, KEY.1, ...
            if (!used.contains(key) && !used.contains(base)) unused.add(key);
        }
        assertThat(unused).as("keys of help_ja.properties that no command or option looks up").isEmpty();
    }

    @Test
    void noKeyIsDefinedTwice() throws Exception {
        Set<String> seen = new TreeSet<>(), twice = new TreeSet<>();
        try (var in = HelpTextsTest.class.getResourceAsStream(HelpTexts.JA)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#") || line.indexOf('=') < 0) continue;
                String key = line.substring(0, line.indexOf('=')).strip();
                if (!seen.add(key)) twice.add(key);
            }
        }
        assertThat(twice).isEmpty();
    }

    /** The command line of each command's help; in Japanese {@code portaudit --lang ja COMMAND --help}. */
    private static List<String[]> helpRuns(boolean ja) {
        List<String[]> runs = new ArrayList<>();
        for (List<String> path : commands(Main.commandLine()).keySet()) {
            List<String> args = new ArrayList<>();
            if (ja) args.addAll(List.of("--lang", "ja"));
            args.addAll(path);
            args.add("--help");
            runs.add(args.toArray(new String[0]));
        }
        return runs;
    }

    @Test
    void everyCommandsJapaneseHelpHasNoEnglishSentence() {
        List<String> english = new ArrayList<>();
        List<String[]> runs = helpRuns(true);
        // --lang after the command; the help command's 'help COMMAND'
        runs.add(new String[] {"fleet", "run", "--lang", "ja", "--help"});
        runs.add(new String[] {"--lang", "ja", "help", "help"});
        runs.add(new String[] {"--lang", "ja", "help", "audit"});
        runs.add(new String[] {"--lang", "ja", "help", "fleet", "run"});
        for (String[] args : runs) {
            MainTest.Run r = MainTest.run(args);
            L10n.set(L10n.Lang.EN);
            String what = String.join(" ", args);
            assertThat(r.exit()).as(what + ": " + r.err()).isZero();
            assertThat(r.out()).as(what).containsPattern(JAPANESE.pattern()).contains("使い方: portaudit");
            assertThat(r.out()).as(what).doesNotContain("Usage:", "Show this help message", "Print version information");
            for (String e : CliJapaneseTest.englishLeft(r.out())) english.add(what + ": " + e);
        }
        assertThat(english).as("English left in the Japanese help").isEmpty();
        // the names stay as they are
        MainTest.Run audit = MainTest.run("audit", "--lang", "ja", "--help");
        L10n.set(L10n.Lang.EN);
        assertThat(audit.out()).contains("--fail-on=SEVERITY", "--accept-unreadable", "unparsed-input", "baseline-deviation", "機器を監査する",
                "省略時: 30", "auto, always, never");
        MainTest.Run root = MainTest.run("--lang", "ja", "--help");
        L10n.set(L10n.Lang.EN);
        assertThat(root.out()).contains("使い方: portaudit", "コマンド:", "  audit ", "機器を監査する", "終了コード:", "--lang=LANG");
    }

    @Test
    void theEnglishHelpIsTheAnnotationsText() {
        for (String[] args : helpRuns(false)) {
            MainTest.Run r = MainTest.run(args);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).as(String.join(" ", args)).doesNotContainPattern(JAPANESE.pattern()).contains("Usage: portaudit");
        }
        MainTest.Run audit = MainTest.run("audit", "--help");
        assertThat(audit.out()).contains("Audit a device: firewall rules, listening programs and reachability, port by",
                "Bound on each command on the device (default: 30)", "Show this help message and exit.");
        // the language of one run does not stay on for the next
        MainTest.Run ja = MainTest.run("audit", "--lang", "ja", "--help");
        assertThat(ja.out()).contains("機器を監査する");
        assertThat(MainTest.run("audit", "--help").out()).contains("Audit a device").doesNotContainPattern(JAPANESE.pattern());
    }

    /** LANG=ja_JP.UTF-8 in a process of its own, no --lang: the environment picks the language of --help. */
    @Test
    void langFromTheEnvironment() throws Exception {
        for (String[] args : List.of(new String[] {"audit", "--help"}, new String[] {"--help"}, new String[] {"help", "fleet"})) {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Dportaudit.store=none", "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main"));
            cmd.addAll(List.of(args));
            Path out = dir.resolve("out.txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove("LC_ALL");
            pb.environment().remove("LC_MESSAGES");
            pb.environment().put("LANG", "ja_JP.UTF-8");
            Process p = pb.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isZero();
            assertThat(text).as(String.join(" ", args)).contains("使い方: portaudit").doesNotContain("Usage:");
            assertThat(CliJapaneseTest.englishLeft(text)).as(String.join(" ", args)).isEmpty();
        }
    }
}
