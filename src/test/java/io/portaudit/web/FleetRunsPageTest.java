package io.portaudit.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.cli.MainTest;
import io.portaudit.fleet.TestBundles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleet runs in the dashboard: a real `portaudit fleet run` over bundles, its progress page, its API and its merged report. */
class FleetRunsPageTest {
    @TempDir
    Path tmp;

    @Test
    void aRunsProgressAndMergedReport() throws Exception {
        Files.createDirectories(tmp.resolve("lot"));
        TestBundles.write(tmp.resolve("lot/b1.txt"), "b1", "SNR1", new int[] {22, 80}, new String[] {"dropbear", "lighttpd"});
        TestBundles.write(tmp.resolve("lot/b2.txt"), "b2", "SNR2", new int[] {22, 23, 80}, new String[] {"dropbear", "telnetd", "lighttpd"});
        Path f = tmp.resolve("fleet.yaml");
        Files.writeString(f, """
                defaults:
                  retries: 0
                devices:
                  - {name: b1, bundle: lot/b1.txt, model: a440}
                  - {name: b2, bundle: lot/b2.txt, model: a440}
                  - {name: b3, bundle: lot/missing.txt, model: a440}
                """);
        String store = tmp.resolve("s.db").toString();
        MainTest.Run r = MainTest.run("fleet", "run", f.toString(), "--store", store, "--progress", "json");
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        String run = lines.get(lines.size() - 1);
        assertThat(run).as(r.out() + r.err()).matches("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}");
        HttpClient http = HttpClient.newHttpClient();
        try (WebServer s = WebServer.start(new WebServer.Config(WebFixture.location(Path.of(store)), "127.0.0.1:0", null, 1, 100))) {
            String base = "http://127.0.0.1:" + s.port();
            JsonNode api = new ObjectMapper().readTree(get(http, base + "/api/v1/runs/" + run).body());
            assertThat(api.path("run").path("devices").asInt()).isEqualTo(3);
            assertThat(api.path("run").path("pass").asInt() + api.path("run").path("fail").asInt()).isEqualTo(2);
            assertThat(api.path("run").path("error").asInt()).isEqualTo(1);
            assertThat(api.path("run").path("percent").asInt()).isEqualTo(100);
            String page = get(http, base + "/runs/" + run).body();
            assertThat(page).contains("Fleet run " + run, "3 of 3", "b2", "sse-connect=\"/events\"", "hx-trigger=\"sse:change\"");
            assertThat(get(http, base + "/runs").body()).contains(run);
            HttpResponse<String> report = get(http, base + "/runs/" + run + "/report.md");
            MainTest.Run cli = MainTest.run("fleet", "report", run, "--store", store, "-o", "markdown");
            assertThat(report.statusCode()).isEqualTo(200);
            assertThat(report.body().strip()).isEqualTo(cli.out().strip());
            assertThat(get(http, base + "/runs/bad%20id").statusCode()).isEqualTo(400);
            assertThat(get(http, base + "/runs/20990101-000000-abcd").statusCode()).isEqualTo(404);
        }
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
