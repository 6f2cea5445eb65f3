package io.portaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.MainTest;
import io.portaudit.lab.LabExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 2: the HTML report a QA lead signs — table of contents, findings grouped by port, statuses in words, no
 * mid-word breaks, every row's deciding rule (IPv6 rows: no IPv6 ruleset collected), a sign-off block with operator
 * and note; printed to PDF by Chromium (the test of the print style sheet), in English and in Japanese with a Japanese
 * font, screenshots kept under target/screenshots/. The Markdown report has the same structure.
 */
class SignOffReportTest {
    static final String SEED = "src/test/resources/fixtures/seed/";
    static final Path SHOTS = Path.of("target", "screenshots");

    static Path render(Path dir, String lang, String format, String operator, String note) throws Exception {
        Path file = dir.resolve("report-" + lang + "." + (format.equals("markdown") ? "md" : format));
        MainTest.Run r = MainTest.run("audit", "--no-store", "--lang", lang, "--operator", operator, "--note", note,
                "-o", format + ":" + file, "--input", SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", SEED + "440-nmap.txt");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        return file;
    }

    /** The text a reader sees: tags dropped, entities of the escaper turned back. */
    static String visible(String html) {
        String body = html.replaceAll("(?s)<style>.*?</style>", "").replaceAll("(?s)<title>.*?</title>", "");
        return body.replaceAll("<[^>]+>", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&").replaceAll("\\s+", " ");
    }

    @Test
    void theHtmlReportHasWhatASignOffNeeds(@TempDir Path dir) throws Exception {
        String html = Files.readString(render(dir, "en", "html", "Taro Yamada", "lot 2026-12, ticket QA-42"));
        String text = visible(html);
        // a table of contents whose every link has its target
        assertThat(html).contains("<nav id=\"toc\">");
        Matcher links = Pattern.compile("href=\"#([^\"]+)\"").matcher(html.substring(html.indexOf("<nav id=\"toc\">"), html.indexOf("</nav>")));
        List<String> targets = new ArrayList<>();
        while (links.find()) targets.add(links.group(1));
        assertThat(targets).contains("verdict", "fix-first", "summary", "ports", "findings", "f-port-tcp-21", "f-port-tcp-6000", "f-other",
                "sign-off");
        for (String t : targets) assertThat(html).as(t).contains("id=\"" + t + "\"");
        // findings grouped by port, one heading per port
        assertThat(text).contains("Port tcp/21 (ftp)", "Port tcp/23 (telnet)", "Port tcp/6000 (x11)", "Port tcp/80 (http)",
                "Firewall rules and the whole device");
        assertThat(html.split("class=\"group\" id=\"f-port-tcp-6000\"", -1)).hasSize(2);
        // statuses in words, never the raw labels
        assertThat(text).contains("fails the gate", "below the fail threshold").doesNotContain("below_threshold", "not_gated");
        // every row's deciding rule, IPv6 included
        Matcher rows = Pattern.compile("(?s)<tr class=\"(accept|drop|reject|unknown)\">(.*?)</tr>").matcher(html);
        int n = 0;
        while (rows.find()) {
            String[] cells = rows.group(2).split("</td>");
            String deciding = visible(cells[5]).strip();
            assertThat(deciding).as(rows.group(2)).isNotBlank();
            if (rows.group(2).contains("<td>ipv6</td>")) assertThat(deciding).isEqualTo("no IPv6 ruleset collected");
            n++;
        }
        assertThat(n).isEqualTo(15);
        // no mid-word breaks: nothing breaks words anywhere
        assertThat(HtmlReport.CSS).doesNotContain("break-all").contains("overflow-wrap:break-word");
        // the sign-off block: who, what, when, how, and lines to sign
        String signOff = visible(html.substring(html.indexOf("<section id=\"sign-off\"")));
        assertThat(signOff).contains("Sign-off", "product / model", "serial number", "firmware", "collected at", "collected how",
                "input — views: firewall, listeners, scan", "operator Taro Yamada", "note lot 2026-12, ticket QA-42",
                "name signature date", "audited by", "approved by", "FAIL 3 of 9 findings fail the gate");
        assertThat(HtmlReport.CSS).contains("@media print", "section.signoff{break-before:page", ".finding,tr");
    }

    @Test
    void chromiumPrintsItToPdfAndScreenshotsBothLanguages(@TempDir Path dir) throws Exception {
        if (!new File("/usr/bin/chromium").canExecute()) LabExtension.cannotRun("chromium is not installed (apt-get install chromium)");
        if (!new File("/usr/bin/pdftotext").canExecute()) LabExtension.cannotRun("pdftotext is not installed (apt-get install poppler-utils)");
        Lab fonts = run(dir, 30, "fc-list", ":lang=ja", "family");
        if (!fonts.out().contains("Noto Sans CJK JP")) LabExtension.cannotRun("no Japanese font (apt-get install fonts-noto-cjk)");
        Files.createDirectories(SHOTS);
        for (String lang : List.of("en", "ja")) {
            Path html = render(dir, lang, "html", lang.equals("ja") ? "山田 太郎" : "Taro Yamada", lang.equals("ja") ? "ロット 2026-12" : "lot 2026-12");
            Path pdf = SHOTS.resolve("report-" + lang + ".pdf").toAbsolutePath();
            Path png = SHOTS.resolve("report-" + lang + ".png").toAbsolutePath();
            Files.deleteIfExists(pdf);
            Files.deleteIfExists(png);
            Path profile = Files.createDirectories(dir.resolve("profile-" + lang));
            Lab p = run(dir, 90, "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                    "--no-pdf-header-footer", "--print-to-pdf=" + pdf, html.toUri().toString());
            assertThat(pdf).as(p.err()).exists();
            Lab s = run(dir, 90, "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                    "--hide-scrollbars", "--window-size=1280,2400", "--screenshot=" + png, html.toUri().toString());
            assertThat(png).as(s.err()).exists();
            assertThat(Files.size(png)).isGreaterThan(50_000);
            byte[] head = Files.readAllBytes(png);
            assertThat(new String(head, 1, 3, StandardCharsets.ISO_8859_1)).isEqualTo("PNG");

            String pages = run(dir, 30, "pdftotext", "-layout", pdf.toString(), "-").out();
            List<String> byPage = List.of(pages.split("\f"));
            assertThat(byPage.size()).isGreaterThan(2);
            String title = lang.equals("ja") ? "承認欄" : "Sign-off";
            String approved = lang.equals("ja") ? "承認" : "approved by";
            // the sign-off block starts a page and is whole on it: a page to sign
            List<String> signPages = byPage.stream().filter(pg -> pg.strip().startsWith(title)).toList();
            assertThat(signPages).as("a page that starts with the sign-off block").hasSize(1);
            assertThat(signPages.get(0)).contains(lang.equals("ja") ? "山田 太郎" : "Taro Yamada", approved,
                    lang.equals("ja") ? "シリアル番号" : "serial number");
            // the table of contents is the first page; the findings are in the document
            assertThat(byPage.get(0)).contains(lang.equals("ja") ? "目次" : "Contents");
            assertThat(pages).contains("insecure-protocol", lang.equals("ja") ? "ポート tcp/6000 (x11)" : "Port tcp/6000 (x11)");
            if (lang.equals("ja")) {
                // the Japanese text came out as text (a font had the glyphs), not as boxes
                assertThat(pages).contains("安全でないプロトコル", "最初に直すもの", "待ち受け");
                Lab fontsUsed = run(dir, 30, "pdffonts", pdf.toString());
                assertThat(fontsUsed.out()).doesNotContain("Tofu");
            }
        }
        assertThat(Files.size(SHOTS.resolve("report-ja.png"))).isNotEqualTo(Files.size(SHOTS.resolve("report-en.png")));
    }

    @Test
    void theMarkdownReportHasTheSameStructure(@TempDir Path dir) throws Exception {
        String md = Files.readString(render(dir, "en", "markdown", "Taro Yamada", "lot 2026-12"));
        assertThat(md).startsWith("# portaudit:").contains("## Verdict\n\nFAIL  3 of 9 findings fail the gate", "## Contents",
                "## fix first", "| deciding rule |", "### Port tcp/21 (ftp)", "### Port tcp/6000 (x11)",
                "### Firewall rules and the whole device", "*fails the gate*", "*below the fail threshold*", "## Sign-off",
                "| operator | Taro Yamada |", "| note | lot 2026-12 |", "| approved by | | | |", "no IPv6 ruleset collected")
                .doesNotContain("below_threshold");
        assertThat(md.indexOf("## Sign-off")).isGreaterThan(md.indexOf("## findings"));
        String ja = Files.readString(render(dir, "ja", "markdown", "山田 太郎", "ロット"));
        assertThat(ja).contains("## 判定", "## 目次", "### ポート tcp/21 (ftp)", "## 承認欄", "| 実施者 | 山田 太郎 |", "*不合格 (基準に該当)*");
    }

    record Lab(int exit, String out, String err) {}

    static Lab run(Path dir, int seconds, String... cmd) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + seconds + " s");
        }
        return new Lab(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
