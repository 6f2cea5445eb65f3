package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 3, command side: with {@code --lang ja} (and with {@code LANG=ja_JP.UTF-8}) every command's own error
 * paths, and picocli's own errors, are written in Japanese. The check is a heuristic that fails on any English
 * sentence left: three or more English words in a row, once quoted strings ('...', "..."), option names, paths, URLs
 * and upper-case placeholders (FILE, KIND:FILE) are taken out.
 */
class CliJapaneseTest {
    @TempDir
    Path dir;

    @AfterEach
    void english() {
        io.portaudit.model.L10n.set(io.portaudit.model.L10n.Lang.EN);
    }

    /** The English left in {@code text}: each run of three or more English words, or an empty list. */
    static List<String> englishLeft(String text) {
        List<String> found = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.replaceAll("'[^']*'", " Q ").replaceAll("\"[^\"]*\"", " Q ").replaceAll("`[^`]*`", " Q ");
            List<String> run = new ArrayList<>();
            for (String tok : l.split("[\\s\u3000]+|(?<=[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}、。（）「」])|(?=[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}、。（）「」])")) {
                String t = tok.replaceAll("^[(\\[]+|[)\\],.;:?!]+$", "");
                // a list element ("auto, always, never") or a label ("fleet run:") ends a run: sentences go on past neither
                boolean ends = tok.endsWith(",") || tok.endsWith(":");
                // a word: lower-case letters, perhaps capitalised, perhaps with an apostrophe (not an option, path, URL, placeholder)
                boolean word = t.matches("[A-Za-z][a-z]+('[a-z]+)?") && !t.equals("portaudit");
                if (word) {
                    run.add(t);
                    if (ends) {
                        if (run.size() >= 3) found.add(String.join(" ", run) + "   <- " + line.strip());
                        run.clear();
                    }
                } else {
                    if (run.size() >= 3) found.add(String.join(" ", run) + "   <- " + line.strip());
                    run.clear();
                }
            }
            if (run.size() >= 3) found.add(String.join(" ", run) + "   <- " + line.strip());
        }
        return found;
    }

    @Test
    void theHeuristicFindsEnglishAndLetsJapaneseWithNamesPass() {
        assertThat(englishLeft("portaudit: --keep must be at least 1")).isNotEmpty();
        assertThat(englishLeft("portaudit: unknown command 'audti'\nDid you mean 'audit'?")).isNotEmpty();
        assertThat(englishLeft("portaudit: note: the ports they could touch are shown unknown")).isNotEmpty();
        assertThat(englishLeft("portaudit: --color の値 'loud' は正しくありません (指定できる値: auto, always, never)")).isEmpty();
        assertThat(englishLeft("portaudit: --keep は 1 以上で指定してください")).isEmpty();
        assertThat(englishLeft("portaudit: store import FILE...: ファイルが指定されていません")).isEmpty();
        assertThat(englishLeft("使い方は 'portaudit store --help' で確認してください。")).isEmpty();
        assertThat(englishLeft("/tmp/no such file/x: 読めません")).isEmpty();
    }

    record Case(String why, int exit, String[] args) {}

    private List<Case> cases() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.txt"), "hello\nthis is not a listing at all\n");
        Path fw = Path.of("src/test/resources/fixtures/seed/440-iptables-L.txt").toAbsolutePath();
        String missing = dir.resolve("absent.txt").toString();
        String noStore = dir.resolve("none.db").toString();
        List<Case> c = new ArrayList<>();
        // firewall
        c.add(new Case("firewall: missing file", 2, new String[] {"firewall", missing}));
        c.add(new Case("firewall: --trace form", 2, new String[] {"firewall", "--trace", "bogus", fw.toString()}));
        c.add(new Case("firewall: --trace range", 2, new String[] {"firewall", "--trace", "tcp/99999", fw.toString()}));
        c.add(new Case("firewall: --src", 2, new String[] {"firewall", "--trace", "tcp/22", "--src", "nohost", fw.toString()}));
        // inventory
        c.add(new Case("inventory: --netns", 2, new String[] {"inventory", "--netns", "bogus"}));
        c.add(new Case("inventory: --bench", 2, new String[] {"inventory", "--bench", "0"}));
        c.add(new Case("inventory: missing file", 2, new String[] {"inventory", "--from", missing}));
        c.add(new Case("inventory: not a listing", 2, new String[] {"inventory", "--from", garbage.toString()}));
        c.add(new Case("inventory: json for text", 2, new String[] {"inventory", "--from", garbage.toString(), "--format", "html"}));
        // scan
        c.add(new Case("scan: -4 -6", 2, new String[] {"scan", "-4", "-6", "127.0.0.1"}));
        c.add(new Case("scan: no target", 2, new String[] {"scan"}));
        c.add(new Case("scan: -p and -F", 2, new String[] {"scan", "-p", "80", "-F", "127.0.0.1"}));
        c.add(new Case("scan: --host-timeout", 2, new String[] {"scan", "--host-timeout", "soon", "127.0.0.1"}));
        // store
        c.add(new Case("store: action", 2, new String[] {"store", "bogus"}));
        c.add(new Case("store: prune needs", 2, new String[] {"store", "prune", "--store", noStore}));
        c.add(new Case("store: prune --keep 0", 2, new String[] {"store", "prune", "--keep", "0", "--store", noStore}));
        c.add(new Case("store: prune --older-than", 2, new String[] {"store", "prune", "--older-than", "soon", "--store", noStore}));
        c.add(new Case("store: export no file", 2, new String[] {"store", "export", "--store", noStore}));
        c.add(new Case("store: import no file", 2, new String[] {"store", "import", "--store", noStore}));
        c.add(new Case("store: migrate --no-store", 2, new String[] {"store", "migrate", "--no-store"}));
        c.add(new Case("store: --store and --no-store", 2, new String[] {"store", "info", "--store", noStore, "--no-store"}));
        // show, history, diff, baseline
        c.add(new Case("show: no store", 2, new String[] {"show", "--store", noStore, "1"}));
        c.add(new Case("history: --port", 2, new String[] {"history", "--port", "bogus", "--store", noStore}));
        c.add(new Case("diff: missing file", 2, new String[] {"diff", missing, missing}));
        c.add(new Case("baseline: action", 2, new String[] {"baseline", "bogus", "model", "--store", noStore}));
        // fleet, worker, serve
        c.add(new Case("fleet run: neither file nor --resume", 2, new String[] {"fleet", "run", "--store", noStore}));
        c.add(new Case("fleet run: --parallel", 2, new String[] {"fleet", "run", "--parallel", "0", missing}));
        c.add(new Case("fleet run: --progress", 2, new String[] {"fleet", "run", "--progress", "loud", missing}));
        c.add(new Case("fleet run: --shard", 2, new String[] {"fleet", "run", "--shard", "x", missing}));
        c.add(new Case("worker: --threads", 2, new String[] {"worker", "--threads", "0"}));
        c.add(new Case("worker: --missed-heartbeats", 2, new String[] {"worker", "--missed-heartbeats", "2"}));
        c.add(new Case("serve: --no-store", 2, new String[] {"serve", "--no-store"}));
        c.add(new Case("serve: no store", 2, new String[] {"serve", "--store", noStore}));
        // completion, collect-script
        c.add(new Case("completion: shell", 2, new String[] {"completion", "fish"}));
        c.add(new Case("collect-script: cannot write", 2, new String[] {"collect-script", "-o", dir.resolve("no/dir/x.sh").toString()}));
        // picocli's own errors
        c.add(new Case("picocli: unknown option", 2, new String[] {"audit", "--jsn"}));
        c.add(new Case("picocli: missing value", 2, new String[] {"firewall", "--trace"}));
        c.add(new Case("picocli: invalid enum", 2, new String[] {"inventory", "--color", "loud"}));
        c.add(new Case("picocli: not a number", 2, new String[] {"inventory", "--bench", "many"}));
        c.add(new Case("picocli: missing parameter", 2, new String[] {"completion"}));
        c.add(new Case("picocli: extra argument", 2, new String[] {"completion", "bash", "zsh"}));
        return c;
    }

    @Test
    void everyCommandsErrorsAreJapaneseWithLangJa() throws Exception {
        List<String> english = new ArrayList<>();
        for (Case c : cases()) {
            // --lang ja right after the (sub)command: picocli reads options left to right, and the error comes later
            String[] args;
            if (c.args().length > 1 && !c.args()[1].startsWith("-") && List.of("store", "fleet", "baseline").contains(c.args()[0])) {
                // a subcommand or an ACTION first: store ACTION --lang ja ..., fleet run --lang ja ...
                args = join(new String[] {c.args()[0], c.args()[1], "--lang", "ja"}, java.util.Arrays.copyOfRange(c.args(), 2, c.args().length));
            } else {
                args = join(new String[] {c.args()[0], "--lang", "ja"}, java.util.Arrays.copyOfRange(c.args(), 1, c.args().length));
            }
            MainTest.Run r = MainTest.run(args);
            io.portaudit.model.L10n.set(io.portaudit.model.L10n.Lang.EN);
            assertThat(r.exit()).as("%s: %s%s", c.why(), r.err(), r.out()).isEqualTo(c.exit());
            assertThat(r.err()).as(c.why()).isNotBlank();
            assertThat(r.err()).as(c.why()).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
            for (String e : englishLeft(r.err())) english.add(c.why() + ": " + e);
        }
        assertThat(english).as("English left in Japanese error messages").isEmpty();
    }

    private static String[] join(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theSameErrorsInEnglishStayEnglish() throws Exception {
        // the English texts exist and read as sentences (the heuristic's other side)
        MainTest.Run r = MainTest.run("store", "prune", "--keep", "0", "--store", dir.resolve("none.db").toString());
        assertThat(r.err()).contains("--keep must be at least 1");
        r = MainTest.run("audti");
        assertThat(r.err()).contains("unknown command 'audti'", "Did you mean 'audit'?", "Run 'portaudit --help' for usage.");
    }

    @Test
    void helpHeadingsAreJapanese() {
        MainTest.Run r = MainTest.run("audit", "--lang", "ja", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("使い方: portaudit audit").doesNotContain("Usage:");
        // the root's own header, exit codes and hint; the language from the environment (LANG), as Main sets it for the thread
        io.portaudit.model.L10n.set(io.portaudit.model.L10n.Lang.JA);
        MainTest.Run root = MainTest.run("--help");
        io.portaudit.model.L10n.set(io.portaudit.model.L10n.Lang.EN);
        assertThat(root.out()).contains("使い方: portaudit", "コマンド:", "終了コード:", "  3  すべては収集", "'portaudit help COMMAND' で確認できます")
                .doesNotContain("Exit codes:", "Which ports does this device expose", "portaudit reads a Linux device");
        MainTest.Run en = MainTest.run("audit", "--help");
        assertThat(en.out()).contains("Usage: portaudit audit");
    }

    /** LANG=ja_JP.UTF-8 in a process of its own: the environment picks the language, before any option is read. */
    @Test
    void langFromTheEnvironment() throws Exception {
        String[][] runs = {
            {"audti"},                                   // picocli: unknown command, with a suggestion
            {"audit", "--jsn"},                          // picocli: unknown option for a command
            {"store", "prune", "--store", dir.resolve("none.db").toString()},
            {"fleet", "run", "--parallel", "0", dir.resolve("f.yaml").toString()},
            {"inventory", "--from", dir.resolve("absent.txt").toString()},
            {"scan", "--lang", "xx"},                    // picocli: an invalid value, from portaudit's converter
        };
        List<String> english = new ArrayList<>();
        for (String[] args : runs) {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Dportaudit.store=none", "-cp", System.getProperty("java.class.path"), "io.portaudit.cli.Main"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove("LC_ALL");
            pb.environment().remove("LC_MESSAGES");
            pb.environment().put("LANG", "ja_JP.UTF-8");
            Path err = dir.resolve("err.txt");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String text = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(String.join(" ", args) + ": " + text).isEqualTo(2);
            assertThat(text).as(String.join(" ", args)).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
            for (String e : englishLeft(text)) english.add(String.join(" ", args) + ": " + e);
            if (args[0].equals("audti")) assertThat(text).contains("不明なコマンド 'audti'", "'audit' のことですか?");
        }
        assertThat(english).isEmpty();
    }
}
