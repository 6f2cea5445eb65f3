package io.portaudit.report;

import static io.portaudit.report.JapaneseAuditTextsTest.device;
import static io.portaudit.report.JapaneseAuditTextsTest.english;
import static io.portaudit.report.JapaneseAuditTextsTest.japanese;
import static io.portaudit.report.JapaneseAuditTextsTest.texts;
import static io.portaudit.report.JapaneseAuditTextsTest.visible;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.audit.FindingCatalog;
import io.portaudit.cli.MainTest;
import io.portaudit.fleet.TestBundles;
import io.portaudit.model.L10n;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 3, the audit's internals: console pastes (their notes and problems), the scan fragments of the -i lo
 * reading, SARIF's rule texts, finding titles of {@code diff} and {@code audit --since} (recorded in another language),
 * and the baseline deviations of a fleet run are in the reader's language; each output has no English sentence left
 * (the heuristic of {@link JapaneseAuditTextsTest#english}: four English words in a row not in a device line).
 */
class JapaneseAuditInternalsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SEED = JapaneseReportTest.SEED;

    @TempDir
    Path tmp;

    @AfterEach
    void backToEnglish() {
        L10n.set(L10n.Lang.EN);
    }

    static Path[] seed() {
        return new Path[] {Path.of(SEED + "440-iptables-L.txt"), Path.of(SEED + "440-netstat-a.txt"), Path.of(SEED + "440-nmap.txt")};
    }

    /** A serial-console session of the 440: a command not found, a listing twice, a firewall change after it, kernel lines. */
    Path console() throws Exception {
        String log = """
                U-Boot 2020.04 (Armadillo-440)
                armadillo login: root
                Password:
                [root@armadillo ~]# ss -tln
                -sh: ss: not found
                [root@armadillo ~]# iptables -L -n
                Chain INPUT (policy ACCEPT)
                target     prot opt source               destination
                ACCEPT     tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:22

                Chain FORWARD (policy ACCEPT)
                target     prot opt source               destination

                Chain OUTPUT (policy ACCEPT)
                target     prot opt source               destination
                [root@armadillo ~]# iptables -L -n
                Chain INPUT (policy ACCEPT)
                target     prot opt source               destination
                ACCEPT     tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:22
                ACCEPT     tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:23

                Chain FORWARD (policy ACCEPT)
                target     prot opt source               destination

                Chain OUTPUT (policy ACCEPT)
                target     prot opt source               destination
                [root@armadillo ~]# netstat -tln | grep LISTEN
                tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN
                tcp        0      0 0.0.0.0:23              0.0.0.0:*               LISTEN
                [   42.123456] eth0: link up
                [root@armadillo ~]# ip6tables-save
                [root@armadillo ~]# iptables -A INPUT -p tcp --dport 80 -j ACCEPT
                [root@armadillo ~]# uname -m
                armv5tejl
                [root@armadillo ~]#
                """;
        return Files.writeString(tmp.resolve("console.log"), log, StandardCharsets.UTF_8);
    }

    static MainTest.Run run(String... args) {
        MainTest.Run r = MainTest.run(args);
        L10n.set(L10n.Lang.EN);
        return r;
    }

    static List<String> args(List<String> head, Path... inputs) {
        List<String> a = new ArrayList<>(head);
        a.add("--input");
        for (Path p : inputs) a.add(p.toString());
        return a;
    }

    /** SARIF's rule texts and its results' messages. */
    static String sarifTexts(String sarif) throws Exception {
        JsonNode run = JSON.readTree(sarif.substring(sarif.indexOf('{'))).path("runs").get(0);
        StringBuilder sb = new StringBuilder(texts(run.path("tool").path("driver").path("rules"), "text"));
        sb.append(texts(run.path("results"), "text"));
        sb.append(texts(run.path("invocations"), "text"));
        return sb.toString();
    }

    /** The texts for people of an audit JSON document (every field the issue names, and the notes and problems). */
    static String jsonTexts(JsonNode doc) {
        StringBuilder sb = new StringBuilder(texts(doc, "title", "detail", "remedy", "message", "reason", "note", "unknown"));
        for (String array : List.of("notes", "unknowns")) for (JsonNode n : doc.path(array)) sb.append(n.asText()).append('\n');
        return sb.toString();
    }

    @Test
    void theSeedAndAConsolePasteInJapaneseHaveNoEnglishSentenceInAnyOutputStoredOrShown() throws Exception {
        String db = tmp.resolve("store.db").toString();
        // the golden unit recorded in English, from the damaged second 440: its findings differ from the seed's
        Path[] golden = {Path.of(JapaneseAuditTextsTest.FW2 + "440-iptables-L.txt"), Path.of(JapaneseAuditTextsTest.FW2 + "440-netstat-a.txt")};
        MainTest.Run g = run(args(List.of("audit", "-q", "--lang", "en", "--store", db, "--device", "golden-440"), golden).toArray(String[]::new));
        assertThat(g.exit()).as(g.err()).isIn(0, 1);
        Path console = console();
        List<String> device = new ArrayList<>(device(seed()));
        device.addAll(device(golden));
        device.addAll(device(console));

        for (Path[] in : List.of(seed(), new Path[] {console})) {
            String name = in.length == 1 ? "console" : "seed";
            Path sarif = tmp.resolve(name + ".sarif"), json = tmp.resolve(name + ".json"), html = tmp.resolve(name + ".html"), md = tmp.resolve(name + ".md");
            MainTest.Run r = run(args(List.of("audit", "-v", "--lang", "ja", "--store", db, "--device", name, "--since", "golden-440@latest",
                    "-o", "text", "-o", "sarif:" + sarif, "-o", "json:" + json, "-o", "html:" + html, "-o", "markdown:" + md), in)
                    .toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isIn(1, 3);
            assertThat(english(r.out(), device)).as(name + ": text").isEmpty();
            assertThat(english(visible(Files.readString(html)), device)).as(name + ": HTML").isEmpty();
            assertThat(english(Files.readString(md).replace("\\", ""), device)).as(name + ": Markdown").isEmpty();
            assertThat(english(sarifTexts(Files.readString(sarif)), device)).as(name + ": SARIF").isEmpty();
            JsonNode doc = JSON.readTree(Files.readString(json));
            assertThat(english(jsonTexts(doc), device)).as(name + ": JSON").isEmpty();
            // the findings of the English golden unit that this audit no longer has: titled in Japanese (from their keys)
            JsonNode since = doc.path("changedSince").path("findings");
            assertThat(since.size()).as(name + ": changedSince findings").isPositive();
            assertThat(english(texts(since, "title"), device)).as(name + ": changedSince titles").isEmpty();
            assertThat(since.findValuesAsText("title")).as(name).allMatch(t -> t.isEmpty() || JapaneseAuditTextsTest.JAPANESE.matcher(t).find());

            // stored, shown and compared in Japanese; shown in English
            for (String format : List.of("text", "markdown", "html", "sarif", "json")) {
                MainTest.Run shown = run("show", "--store", db, "--lang", "ja", "-v", "-o", format, name + "@latest");
                assertThat(shown.exit()).as(shown.err()).isIn(0, 1, 3);
                String t = switch (format) {
                    case "html" -> visible(shown.out());
                    case "sarif" -> sarifTexts(shown.out());
                    case "json" -> jsonTexts(JSON.readTree(shown.out()));
                    default -> shown.out();
                };
                assertThat(english(t, device)).as(name + ": show -o " + format).isEmpty();
                MainTest.Run en = run("show", "--store", db, "--lang", "en", "-v", "-o", format, name + "@latest");
                String te = format.equals("json") ? jsonTexts(JSON.readTree(en.out())) : format.equals("html") ? visible(en.out()) : en.out();
                assertThat(japanese(te, device)).as(name + ": show --lang en -o " + format).isEmpty();
            }
            for (String format : List.of("text", "json", "markdown")) {
                MainTest.Run d = run("diff", "--store", db, "--lang", "ja", "-o", format, "golden-440@latest", name + "@latest");
                assertThat(d.exit()).as(d.err()).isIn(0, 1);
                String t = format.equals("json") ? texts(JSON.readTree(d.out()), "title", "a", "b", "why") : d.out();
                assertThat(english(t, device)).as(name + ": diff -o " + format).isEmpty();
                MainTest.Run de = run("diff", "--store", db, "--lang", "en", "-o", format, "golden-440@latest", name + "@latest");
                assertThat(japanese(de.out(), device)).as(name + ": diff --lang en -o " + format).isEmpty();
            }
        }
        // the console paste's notes and problems are there, in Japanese, and in English when shown so
        String shown = run("show", "--store", db, "--lang", "ja", "-v", "console@latest").out();
        assertThat(shown).contains("コンソール出力の貼り付け", "読み飛ばした行", "`ss -tln`", "ファイアウォールを変更しています",
                "パイプ経由", "先に出力された iptables-L の一覧");
        String en = run("show", "--store", db, "--lang", "en", "-v", "console@latest").out();
        assertThat(en).contains("a console paste of", "skipped (no listing portaudit reads)", "changed the firewall after the iptables-L listing",
                "(through a pipe: lines it filtered out are not seen)", "an earlier iptables-L listing; the later one is read");
    }

    @Test
    void sarifRulesAreDescribedInTheReportsLanguageWithTheSameIds() throws Exception {
        for (String id : FindingCatalog.IDS.keySet()) {
            for (L10n.Lang lang : L10n.Lang.values()) {
                for (String part : List.of("short", "full", "help")) {
                    assertThat(L10n.bundle(lang).containsKey("rule." + id + "." + part)).as(lang + " rule." + id + "." + part).isTrue();
                }
            }
        }
        // the English short description is the catalogue's meaning (FINDINGS.md's)
        for (var e : FindingCatalog.IDS.entrySet()) assertThat(FindingCatalog.shortText(e.getKey())).isEqualTo(e.getValue().meaning());
        Path ja = tmp.resolve("ja.sarif"), en = tmp.resolve("en.sarif");
        run(args(List.of("audit", "--no-store", "--lang", "ja", "-o", "sarif:" + ja), seed()).toArray(String[]::new));
        run(args(List.of("audit", "--no-store", "--lang", "en", "-o", "sarif:" + en), seed()).toArray(String[]::new));
        JsonNode rj = JSON.readTree(Files.readString(ja)).path("runs").get(0).path("tool").path("driver").path("rules");
        JsonNode re = JSON.readTree(Files.readString(en)).path("runs").get(0).path("tool").path("driver").path("rules");
        assertThat(rj.findValuesAsText("id")).isEqualTo(re.findValuesAsText("id")).containsAll(FindingCatalog.IDS.keySet());
        for (int i = 0; i < rj.size(); i++) {
            for (String f : List.of("shortDescription", "fullDescription", "help")) {
                assertThat(rj.get(i).path(f).path("text").asText()).as(rj.get(i).path("id") + " " + f).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
                assertThat(re.get(i).path(f).path("text").asText()).as(re.get(i).path("id") + " " + f).isNotBlank()
                        .doesNotContainPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
            }
        }
        assertThat(english(sarifTexts(Files.readString(ja)), device(seed()))).isEmpty();
    }

    /**
     * A fleet run in Japanese against a baseline, without a lab: boards as collect-script bundles, the golden unit's audit
     * set as the model's baseline. The deviation (telnet on one board) is stored with its language-neutral texts: shown in
     * Japanese with no English sentence, and in English with no Japanese.
     */
    @Test
    void aFleetRunsBaselineDeviationsAreStoredLanguageNeutral() throws Exception {
        Files.createDirectories(tmp.resolve("lot"));
        Path golden = TestBundles.write(tmp.resolve("lot/golden.txt"), "golden", "SN1000", new int[] {22, 80}, new String[] {"dropbear", "lighttpd"});
        Path b1 = TestBundles.write(tmp.resolve("lot/board-1.txt"), "board-1", "SN1001", new int[] {22, 80}, new String[] {"dropbear", "lighttpd"});
        Path b2 = TestBundles.write(tmp.resolve("lot/board-2.txt"), "board-2", "SN1002", new int[] {22, 23, 80},
                new String[] {"dropbear", "telnetd", "lighttpd"});
        String db = tmp.resolve("store.db").toString();
        MainTest.Run g = run("audit", "-q", "--lang", "en", "--store", db, "--bundle", golden.toString(), "--device", "golden");
        assertThat(g.exit()).as(g.err()).isIn(0, 1);
        assertThat(run("baseline", "set", "--store", db, "a440", "golden@latest").exit()).isZero();
        Path fleet = Files.writeString(tmp.resolve("fleet.yaml"), """
                defaults:
                  retries: 0
                devices:
                  - {name: board-1, bundle: lot/board-1.txt, model: a440, baseline: a440}
                  - {name: board-2, bundle: lot/board-2.txt, model: a440, baseline: a440}
                """);
        MainTest.Run r = run("fleet", "run", "--lang", "ja", fleet.toString(), "--store", db, "--progress", "none", "--parallel", "2");
        assertThat(r.exit()).as(r.err() + r.out()).isIn(0, 1);
        List<String> device = new ArrayList<>(device(golden, b1, b2));

        JsonNode stored = JSON.readTree(run("show", "--store", db, "--lang", "ja", "-o", "json", "board-2@latest").out());
        List<String> ids = stored.path("findings").findValuesAsText("id");
        assertThat(ids).contains("baseline-deviation");
        // the deviation's texts are stored as keys too (before, a fleet run's Baseline.apply left them out)
        assertThat(stored.path("texts").toString()).contains("base.title", "base.detail", "base.fix");
        for (String format : List.of("text", "json", "sarif", "markdown")) {
            MainTest.Run ja = run("show", "--store", db, "--lang", "ja", "-v", "-o", format, "board-2@latest");
            String t = switch (format) {
                case "json" -> jsonTexts(JSON.readTree(ja.out()));
                case "sarif" -> sarifTexts(ja.out());
                default -> ja.out();
            };
            assertThat(t).as(format).contains(format.equals("json") || format.equals("sarif") ? "基準機" : "基準機");
            assertThat(english(t, device)).as("show -o " + format).isEmpty();
            MainTest.Run en = run("show", "--store", db, "--lang", "en", "-v", "-o", format, "board-2@latest");
            String te = format.equals("json") ? jsonTexts(JSON.readTree(en.out())) : en.out();
            assertThat(te).as(format).contains("not on the golden unit");
            assertThat(japanese(te, device)).as("show --lang en -o " + format).isEmpty();
        }
        MainTest.Run d = run("diff", "--store", db, "--lang", "ja", "golden@latest", "board-2@latest");
        assertThat(english(d.out(), device)).as("diff").isEmpty();
        assertThat(d.out()).contains("insecure-protocol");
    }
}
