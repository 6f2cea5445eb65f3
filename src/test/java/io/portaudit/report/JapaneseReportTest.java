package io.portaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.audit.JsonFindings;
import io.portaudit.cli.MainTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 3: the Japanese and English reports of the same audit side by side — the same findings, the same
 * numbers, and every string of the Japanese one translated: no English sentence is left but device strings (rule text,
 * socket and scan lines, file names), finding ids and commands.
 */
class JapaneseReportTest {
    static final String SEED = "src/test/resources/fixtures/seed/";
    static final String[] INPUT = {"--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", SEED + "440-nmap.txt"};
    static final ObjectMapper JSON = new ObjectMapper();
    /** Four or more English words in a row: a sentence (or the start of one). */
    static final Pattern SENTENCE = Pattern.compile("[A-Za-z][A-Za-z'’]*(?:[ ,:;]+[A-Za-z][A-Za-z'’]*){3,}");

    static MainTest.Run audit(String lang, String... extra) {
        List<String> args = new ArrayList<>(List.of("audit", "--no-store", "--lang", lang));
        args.addAll(List.of(extra));
        args.addAll(List.of(INPUT));
        return MainTest.run(args.toArray(String[]::new));
    }

    @Test
    void sameFindingsAndNumbersInBothLanguages() throws Exception {
        JsonNode en = JSON.readTree(audit("en", "--json").out());
        JsonNode ja = JSON.readTree(audit("ja", "--json").out());
        assertThat(ja.path("summary")).isEqualTo(en.path("summary"));
        // the same rows; a listener's note (why its scope is what it is) is text for people, in the audit's language
        assertThat(withoutNotes(ja.path("ports"))).isEqualTo(withoutNotes(en.path("ports")));
        assertThat(ja.path("ports").findValuesAsText("note")).anyMatch(n -> n.contains("IPv6 専用"));
        assertThat(ja.path("findings").size()).isEqualTo(en.path("findings").size());
        List<JsonNode> ea = JsonFindings.atoms(en), jaa = JsonFindings.atoms(ja);
        assertThat(jaa).hasSameSizeAs(ea);
        for (int i = 0; i < ea.size(); i++) {
            JsonNode e = ea.get(i), j = jaa.get(i);
            for (String same : List.of("id", "severity", "status", "protocol", "family", "ports")) {
                assertThat(j.path(same)).as(e.path("id") + " " + same).isEqualTo(e.path(same));
            }
            assertThat(j.path("evidence").size()).isEqualTo(e.path("evidence").size());
            assertThat(j.path("remedy").size()).isEqualTo(e.path("remedy").size());
            // every title and detail is translated (not the English one)
            assertThat(j.path("title").asText()).as("title of " + e.path("id")).isNotEqualTo(e.path("title").asText());
            assertThat(j.path("detail").asText()).as("detail of " + e.path("id")).isNotEqualTo(e.path("detail").asText());
            assertThat(j.path("title").asText() + j.path("detail").asText()).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
        }
        assertThat(ja.path("notChecked").findValuesAsText("id")).isEqualTo(en.path("notChecked").findValuesAsText("id"));
    }

    @Test
    void theJapaneseTextReportHasNoEnglishSentenceButDeviceStrings() throws Exception {
        for (String v : new String[] {"-q", "-v"}) {
            MainTest.Run ja = audit("ja", v);
            MainTest.Run en = audit("en", v);
            assertThat(ja.exit()).isEqualTo(en.exit()).isEqualTo(1);
            assertThat(ja.out().lines().count()).as(v).isEqualTo(en.out().lines().count());
            assertThat(english(ja.out())).as("English left in the Japanese " + v + " report").isEmpty();
            assertThat(english(en.out())).as("the detector finds English").isNotEmpty();
        }
        MainTest.Run ja = audit("ja");
        assertThat(ja.out()).startsWith("不合格  指摘 ").contains("最初に直すもの", "指摘事項", "待ち受け", "ファイアウォール",
                "実行できなかった検査", "判定: 不合格");
        assertThat(english(ja.out())).isEmpty();
    }

    /** The HTML and Markdown reports in Japanese: the same check on what a reader sees. */
    @Test
    void theJapaneseHtmlAndMarkdownHaveNoEnglishSentenceButDeviceStrings(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path html = dir.resolve("r.html"), md = dir.resolve("r.md");
        MainTest.Run r = audit("ja", "-o", "html:" + html, "-o", "markdown:" + md, "--operator", "山田 太郎");
        assertThat(r.exit()).isEqualTo(1);
        // what a reader sees, one element's text per line
        String visible = Files.readString(html).replaceAll("(?s)<style>.*?</style>", "").replaceAll("(?s)<title>.*?</title>", "")
                .replaceAll("<[^>]+>", "\n").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&");
        assertThat(english(visible)).isEmpty();
        assertThat(english(Files.readString(md).replace("\\", ""))).isEmpty();
        assertThat(r.err()).contains("形式で", "に書き出しました");
    }

    /** The seed's G3 (no rules, policy ACCEPT, dual-stack listeners): its notes and findings in Japanese too. */
    @Test
    void theG3InJapaneseHasNoEnglishSentenceEither() throws Exception {
        String[] g3 = {"g3-iptables-L.txt", "g3-netstat-a.txt", "g3l-nmap.txt"};
        MainTest.Run r = MainTest.run("audit", "--no-store", "--lang", "ja", "-v", "--input", SEED + g3[0], SEED + g3[1], SEED + g3[2]);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("IPv4 も受け付けるものと仮定", "すべてを許可しています");
        assertThat(english(r.out(), g3)).isEmpty();
    }

    @Test
    void aBadLanguageIsAUsageError() {
        MainTest.Run r = MainTest.run("audit", "--lang", "fr", "--no-store");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--lang", "'fr'", "ja or en");
        // a run in Japanese leaves the next one in the language it began with
        audit("ja");
        assertThat(audit("en").out()).startsWith("FAIL  ");
        assertThat(MainTest.run(concat("audit", "--no-store")).out()).startsWith("FAIL  ");
    }

    static JsonNode withoutNotes(JsonNode ports) {
        JsonNode copy = ports.deepCopy();
        for (JsonNode row : copy) for (JsonNode l : row.path("listeners")) ((com.fasterxml.jackson.databind.node.ObjectNode) l).remove("note");
        return copy;
    }

    static String[] concat(String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        a.addAll(List.of(INPUT));
        return a.toArray(String[]::new);
    }

    /**
     * The English sentences of a report that are not device strings: each run of four or more English words that is
     * not in an input line (rule text, socket, scan lines, as the device wrote them, blanks squeezed) nor on a
     * command line.
     */
    static List<String> english(String report) throws Exception {
        return english(report, "440-iptables-L.txt", "440-netstat-a.txt", "440-nmap.txt");
    }

    static List<String> english(String report, String... inputs) throws Exception {
        List<String> device = new ArrayList<>();
        for (String f : inputs) {
            for (String line : Files.readAllLines(Path.of(SEED + f), StandardCharsets.UTF_8)) device.add(squeeze(line));
        }
        List<String> out = new ArrayList<>();
        for (String line : report.lines().toList()) {
            String l = squeeze(line);
            Matcher m = SENTENCE.matcher(l);
            while (m.find()) {
                String s = m.group();
                if (device.stream().anyMatch(d -> d.contains(s))) continue;
                out.add(s + "    ← " + line.strip());
            }
        }
        return out;
    }

    static String squeeze(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }
}
