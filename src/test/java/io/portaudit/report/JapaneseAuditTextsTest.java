package io.portaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.cli.MainTest;
import io.portaudit.model.DisplayWidth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 3, the audit side: the text table lines up in Japanese, and the texts of parse problems, baselines,
 * {@code --since}, fix scripts and stored findings are in the reader's language.
 */
class JapaneseAuditTextsTest {

    /** Where each cell of a table line starts, in terminal columns (cells are split at runs of blanks; the last keeps its blanks). */
    static List<Integer> starts(String line, int cells) {
        List<Integer> at = new ArrayList<>();
        int col = 0;
        boolean inCell = false;
        for (int i = 0; i < line.length() && at.size() <= cells; ) {
            int cp = line.codePointAt(i);
            i += Character.charCount(cp);
            boolean blank = cp == ' ';
            if (!blank && !inCell) {
                if (at.size() == cells) break;
                at.add(col);
            }
            inCell = !blank || (at.size() == cells && inCell);
            col += DisplayWidth.of(cp);
        }
        return at;
    }

    static List<String> table(String report, String header) {
        List<String> lines = report.lines().toList();
        int h = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(header)) h = i;
        assertThat(h).as("table header " + header).isNotNegative();
        List<String> t = new ArrayList<>();
        for (int i = h; i < lines.size() && !lines.get(i).isBlank(); i++) t.add(lines.get(i));
        return t;
    }

    @Test
    void theTextTableLinesUpInDisplayColumnsInBothLanguages() {
        for (String[] lang : new String[][] {{"ja", "種別"}, {"en", "PROTO"}}) {
            MainTest.Run r = JapaneseReportTest.audit(lang[0]);
            List<String> t = table(r.out(), lang[1]);
            assertThat(t.size()).as(lang[0]).isGreaterThan(3);
            List<Integer> head = starts(t.get(0), 7);
            assertThat(head).as(lang[0] + " header " + t.get(0)).hasSize(7);
            for (String row : t.subList(1, t.size())) {
                assertThat(starts(row, 7)).as(lang[0] + ": the columns of\n" + row + "\nagainst\n" + t.get(0)).isEqualTo(head);
            }
        }
    }

    @Test
    void displayWidthCountsEastAsianWideAsTwo() {
        assertThat(DisplayWidth.of("ポート")).isEqualTo(6);
        assertThat(DisplayWidth.of("PORT")).isEqualTo(4);
        assertThat(DisplayWidth.of("FW判定")).isEqualTo(6);
        assertThat(DisplayWidth.of("ｱ")).isEqualTo(1); // halfwidth katakana is narrow
        assertThat(DisplayWidth.of("ＡＢ")).isEqualTo(4); // fullwidth Latin is wide
        assertThat(DisplayWidth.pad("ポート", 8)).isEqualTo("ポート  ");
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FW2 = "src/test/resources/fixtures/store/fw2/";
    static final Pattern JAPANESE = Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]+");

    @TempDir
    Path tmp;

    /** The second 440 of the store fixtures, its iptables listing damaged: two lines not understood, the last one cut. */
    Path[] damaged() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(FW2 + "440-iptables-L.txt"), StandardCharsets.UTF_8));
        lines.add(3, "ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:frobnicate");
        lines.add(4, "%%%% garbage from a broken paste here %%%%");
        Path fw = tmp.resolve("440-iptables-L.txt");
        Files.writeString(fw, String.join("\n", lines), StandardCharsets.UTF_8); // no line end: the output was cut
        return new Path[] {fw, Path.of(FW2 + "440-netstat-a.txt"), Path.of(FW2 + "440-nmap.txt")};
    }

    /** Device strings: every line of the inputs, blanks squeezed. */
    static List<String> device(Path... inputs) throws Exception {
        List<String> device = new ArrayList<>();
        for (Path f : inputs) for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) device.add(JapaneseReportTest.squeeze(line));
        return device;
    }

    /** A portaudit command a remedy names (commands are not translated). */
    static final Pattern COMMAND = Pattern.compile("portaudit (?:diff|baseline set|show|audit) \\S+(?: \\S+)?");

    /** Runs of four English words in {@code text} that are not in a device line nor a portaudit command. */
    static List<String> english(String text, List<String> device) {
        List<String> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = JapaneseReportTest.SENTENCE.matcher(COMMAND.matcher(JapaneseReportTest.squeeze(line)).replaceAll(""));
            while (m.find()) {
                String found = m.group();
                if (device.stream().noneMatch(d -> d.contains(found))) out.add(found + "    <- " + line.strip());
            }
        }
        return out;
    }

    /** Japanese in {@code text} that is not in a device line (the seed's scan names its host in Japanese). */
    static List<String> japanese(String text, List<String> device) {
        List<String> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = JAPANESE.matcher(line);
            while (m.find()) {
                String found = m.group();
                if (device.stream().noneMatch(d -> d.contains(found))) out.add(found + "    <- " + line.strip());
            }
        }
        return out;
    }

    static String visible(String html) {
        return html.replaceAll("(?s)<style>.*?</style>", "").replaceAll("(?s)<title>.*?</title>", "").replaceAll("<[^>]+>", "\n")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&");
    }

    /** The texts for people of a SARIF or audit JSON document, one per line. */
    static String texts(JsonNode doc, String... fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) for (String v : doc.findValuesAsText(f)) sb.append(v).append('\n');
        return sb.toString();
    }

    static String[] args(String... a) {
        return a;
    }

    static MainTest.Run run(List<String> head, Path[] inputs) {
        List<String> a = new ArrayList<>(head);
        a.add("--input");
        for (Path p : inputs) a.add(p.toString());
        return MainTest.run(a.toArray(String[]::new));
    }

    /**
     * A Japanese audit of damaged input (parse problems), against a baseline (baseline-deviation findings), with the
     * section changed since the golden unit's audit and a fix script: no English sentence is left in any format but
     * device strings.
     */
    @Test
    void aJapaneseAuditWithParseProblemsBaselineSinceAndFixScriptHasNoEnglishSentence() throws Exception {
        String db = tmp.resolve("store.db").toString();
        Path[] seed = {Path.of(JapaneseReportTest.SEED + "440-iptables-L.txt"), Path.of(JapaneseReportTest.SEED + "440-netstat-a.txt"),
                Path.of(JapaneseReportTest.SEED + "440-nmap.txt")};
        MainTest.Run golden = run(List.of("audit", "-q", "--lang", "en", "--store", db, "--device", "golden-440"), seed);
        assertThat(golden.exit()).as(golden.err()).isEqualTo(1);
        MainTest.Run set = MainTest.run("baseline", "set", "--store", db, "armadillo-440", "golden-440@latest");
        assertThat(set.exit()).as(set.err()).isZero();

        Path[] in = damaged();
        Path fix = tmp.resolve("fix.sh"), html = tmp.resolve("r.html"), md = tmp.resolve("r.md"), sarif = tmp.resolve("r.sarif"),
                junit = tmp.resolve("r.xml"), json = tmp.resolve("r.json");
        MainTest.Run r = run(List.of("audit", "-v", "--lang", "ja", "--store", db, "--device", "unit-7", "--baseline", "armadillo-440",
                "--since", "golden-440@latest", "--fix-script", fix.toString(), "-o", "text", "-o", "html:" + html, "-o", "markdown:" + md,
                "-o", "sarif:" + sarif, "-o", "junit:" + junit, "-o", "json:" + json), in);
        assertThat(r.exit()).as(r.err()).isEqualTo(3); // unreadable lines: incomplete
        List<String> device = new ArrayList<>(device(in));
        device.addAll(device(seed));
        String text = r.out();
        // what the test is about is there: parse problems, deviations from the baseline, the section since, the fix script
        assertThat(text).contains("読み取れない", "frobnicate", "基準機", "改行がありません", "許可する可能性がある");
        assertThat(english(text, device)).as("English left in the Japanese text report").isEmpty();
        // the section changed since the golden unit's audit, its counts and its rows in words of the report's language
        assertThat(text).contains("ポート: 新規", "待ち受けなし", "FW判定");
        assertThat(visible(Files.readString(html))).contains("ポート: 新規", "変更内容");
        assertThat(english(visible(Files.readString(html)), device)).as("HTML").isEmpty();
        assertThat(english(Files.readString(md).replace("\\", ""), device)).as("Markdown").isEmpty();
        JsonNode doc = JSON.readTree(Files.readString(json));
        // (changedSince names the findings of the earlier audit by the titles it was stored with: the golden unit's are English)
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove("changedSince");
        assertThat(doc.path("findings").findValuesAsText("id")).contains("baseline-deviation", "unparsed-input");
        assertThat(english(texts(doc, "title", "detail", "message", "reason", "note", "unknown"), device)).as("JSON").isEmpty();
        assertThat(english(String.join("\n", doc.path("notes").findValuesAsText("")) + texts(doc.path("problems"), "message")
                + String.join("\n", JSON.convertValue(doc.path("notes"), String[].class)), device)).as("JSON notes").isEmpty();
        assertThat(english(texts(JSON.readTree(Files.readString(sarif)).path("runs").get(0).path("results"), "text"), device)).as("SARIF").isEmpty();
        Matcher messages = Pattern.compile("message=\"([^\"]*)\"").matcher(Files.readString(junit));
        StringBuilder jm = new StringBuilder();
        while (messages.find()) jm.append(messages.group(1).replace("&apos;", "'").replace("&quot;", "\"").replace("&amp;", "&")).append('\n');
        assertThat(english(jm.toString(), device)).as("JUnit").isEmpty();
        // the fix script's comments (its commands and what it echoes on the device stay as they are)
        // every comment: the header (what the script does, closes and cannot close) and those on its steps and functions
        String comments = String.join("\n", Files.readAllLines(fix).stream().map(String::strip).filter(l -> l.startsWith("# ")).toList());
        assertThat(comments).contains("実行前に必ず内容を確認してください");
        assertThat(english(comments, device)).as("fix script comments").isEmpty();
    }

    /** Stored findings in the reader's language: a Japanese audit shown in English and an English one in Japanese. */
    @Test
    void aStoredAuditIsShownInTheReadersLanguage() throws Exception {
        String db = tmp.resolve("store.db").toString();
        Path[] in = damaged();
        MainTest.Run ja = run(List.of("audit", "-q", "--lang", "ja", "--store", db, "--device", "unit-ja"), in);
        MainTest.Run en = run(List.of("audit", "-q", "--lang", "en", "--store", db, "--device", "unit-en"), in);
        assertThat(ja.exit()).as(ja.err()).isEqualTo(3);
        assertThat(en.exit()).as(en.err()).isEqualTo(3);
        String jaId = "unit-ja@latest", enId = "unit-en@latest";
        List<String> device = device(in);
        for (String format : List.of("text", "json", "markdown")) {
            MainTest.Run jaInEn = MainTest.run("show", "--store", db, "--lang", "en", "-v", "-o", format, jaId);
            assertThat(jaInEn.exit()).as(jaInEn.err()).isIn(0, 1, 3);
            assertThat(japanese(jaInEn.out(), device)).as("Japanese left in the English " + format + " of a Japanese audit").isEmpty();
            MainTest.Run enInJa = MainTest.run("show", "--store", db, "--lang", "ja", "-v", "-o", format, enId);
            String shown = format.equals("json") ? texts(JSON.readTree(enInJa.out()), "title", "detail", "message", "reason", "note") : enInJa.out();
            assertThat(english(shown, device)).as("English left in the Japanese " + format + " of an English audit").isEmpty();
        }
        // the JSON of a Japanese audit keeps its human fields in Japanese, and says so
        JsonNode stored = JSON.readTree(MainTest.run("show", "--store", db, "--lang", "ja", "-o", "json", jaId).out());
        assertThat(stored.path("lang").asText()).isEqualTo("ja");
        assertThat(stored.path("texts").size()).isPositive();
        // rendered from the keys, an audit made in one language reads as the same audit made in the other
        for (String lang : List.of("ja", "en")) {
            JsonNode a = JSON.readTree(MainTest.run("show", "--store", db, "--lang", lang, "-o", "json", jaId).out());
            JsonNode b = JSON.readTree(MainTest.run("show", "--store", db, "--lang", lang, "-o", "json", enId).out());
            for (String field : List.of("title", "detail", "remedy", "message", "reason", "unknown")) {
                assertThat(a.path("findings").findValuesAsText(field) + " " + a.findValues(field))
                        .as(lang + " " + field).isEqualTo(b.path("findings").findValuesAsText(field) + " " + b.findValues(field));
            }
        }
    }
}
