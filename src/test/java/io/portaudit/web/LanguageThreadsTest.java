package io.portaudit.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.cli.MainTest;
import io.portaudit.fleet.TestBundles;
import io.portaudit.model.L10n;
import io.portaudit.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 3: the language is a thread's (L10n); the threads an audit or a page runs on other than the command's
 * own write in the command's language: a fleet run's device threads (the audit is rendered and stored in it), and the
 * dashboard's request threads (a stored audit's report in {@code serve}'s language).
 */
class LanguageThreadsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String SEED = "src/test/resources/fixtures/seed/";

    @TempDir
    Path tmp;

    @AfterEach
    void backToEnglish() {
        L10n.set(L10n.Lang.EN);
    }

    @Test
    void aFleetRunsDeviceThreadsAuditInTheRunsLanguage() throws Exception {
        Files.createDirectories(tmp.resolve("lot"));
        TestBundles.write(tmp.resolve("lot/board-1.txt"), "board-1", "SN2001", new int[] {22, 23}, new String[] {"dropbear", "telnetd"});
        TestBundles.write(tmp.resolve("lot/board-2.txt"), "board-2", "SN2002", new int[] {22, 23}, new String[] {"dropbear", "telnetd"});
        Path fleet = Files.writeString(tmp.resolve("fleet.yaml"), """
                defaults:
                  retries: 0
                devices:
                  - {name: board-1, bundle: lot/board-1.txt}
                  - {name: board-2, bundle: lot/board-2.txt}
                """);
        Path db = tmp.resolve("store.db");
        for (String lang : new String[] {"ja", "en"}) {
            MainTest.Run r = MainTest.run("fleet", "run", "--lang", lang, fleet.toString(), "--store", db.toString(), "--progress", "none",
                    "--parallel", "2");
            L10n.set(L10n.Lang.EN);
            assertThat(r.exit()).as(r.err()).isIn(0, 1);
            try (Store s = Store.open(WebFixture.location(db))) {
                for (String device : new String[] {"board-1", "board-2"}) {
                    var doc = JSON.readTree(s.document(s.resolve(device + "@latest")));
                    // rendered on the run's device threads: in the run's language, not a new thread's default
                    assertThat(doc.path("lang").asText()).as(lang + " " + device).isEqualTo(lang);
                    String titles = String.join("\n", doc.path("findings").findValuesAsText("title"));
                    if (lang.equals("ja")) assertThat(titles).as(device).contains("安全でないプロトコル");
                    else assertThat(titles).as(device).contains("insecure protocol");
                }
            }
        }
    }

    @Test
    void theDashboardsRequestThreadsWriteInServesLanguage() throws Exception {
        Path db = tmp.resolve("store.db");
        MainTest.Run a = MainTest.run("audit", "-q", "--lang", "en", "--store", db.toString(), "--device", "seed-440", "--input",
                SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", SEED + "440-nmap.txt");
        L10n.set(L10n.Lang.EN);
        assertThat(a.exit()).as(a.err()).isEqualTo(1);
        for (L10n.Lang lang : L10n.Lang.values()) {
            // serve sets the command's language on its own thread (--lang / LANG) before the server starts
            L10n.set(lang);
            WebServer server;
            try {
                server = WebServer.start(new WebServer.Config(WebFixture.location(db), "127.0.0.1:0", null, 1, 100));
            } finally {
                L10n.set(L10n.Lang.EN);
            }
            try (server) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/audit/1/report.txt"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                if (lang == L10n.Lang.JA) assertThat(r.body()).contains("指摘事項", "安全でないプロトコル").doesNotContain("Findings (");
                else assertThat(r.body()).contains("findings (", "insecure protocol").doesNotContain("指摘事項", "安全でない"); // (the seed names its host in Japanese)
            }
        }
    }
}
