package io.portaudit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.MainTest;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw evidence end to end, on each backend ({@link CaptureBytesSqliteTest}, {@link CaptureBytesPostgresTest}): files
 * pasted into a real {@code audit --input ... --store} run, served by a real server over real HTTP. A capture holding
 * an NBSP, Shift_JIS bytes and a byte no encoding decodes downloads byte for byte as given, with no charset (none is
 * known); a Shift_JIS file says Shift_JIS; a UTF-8 file with a byte-order mark keeps its mark; the page view shows the
 * decoded text with the undecodable byte marked, and everything in it escaped.
 */
abstract class CaptureBytesContract {
    @TempDir
    Path tmp;

    /** A URL of a fresh, empty store. */
    abstract String newStore() throws Exception;

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Charset SJIS = Charset.forName("windows-31j");
    static final String SEED = "src/test/resources/fixtures/seed/";

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void aPastedCaptureDownloadsAsTheExactBytesGivenAndItsPageMarksWhatNoEncodingDecodes() throws Exception {
        String seedFw = Files.readString(Path.of(SEED + "440-iptables-L.txt"));
        // the firewall listing: an NBSP (UTF-8) in a rule, a rule comment in Shift_JIS, a stray 0xFF and a script tag
        String fwUtf8 = seedFw.replace("ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:ssh",
                "ACCEPT     tcp  --  anywhere\u00a0            anywhere             tcp dpt:ssh");
        assertThat(fwUtf8).isNotEqualTo(seedFw);
        byte[] fw = concat(fwUtf8.getBytes(StandardCharsets.UTF_8),
                "# 保守用 ポート\n".getBytes(SJIS),
                "# <script>alert(1)</script> ".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xFF, '\n'});
        // the listeners: CRLF line ends, Shift_JIS throughout (ASCII but for a last line in Shift_JIS)
        byte[] ns = concat(Files.readString(Path.of(SEED + "440-netstat-a.txt")).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII),
                "# 検査 ライン42\r\n".getBytes(SJIS));
        // the scan (UTF-8, with Japanese and NBSPs of its own) behind a UTF-8 byte-order mark
        byte[] nmap = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Files.readAllBytes(Path.of(SEED + "440-nmap.txt")));
        Path fwFile = tmp.resolve("fw.txt"), nsFile = tmp.resolve("netstat.txt"), nmapFile = tmp.resolve("nmap.txt");
        Files.write(fwFile, fw);
        Files.write(nsFile, ns);
        Files.write(nmapFile, nmap);

        String url = newStore();
        MainTest.Run run = MainTest.run("audit", "-q", "--store", url, "--device", "raw-1", "--input", "iptables-L:" + fwFile, nsFile.toString(),
                nmapFile.toString());
        // 3: the netstat listing's Shift_JIS line is no listing line (reported, the audit kept as partial)
        assertThat(run.exit()).as(run.err()).isIn(0, 1, 3);
        long id;
        StoreLocation loc = StoreLocation.parse(url, Map.of());
        try (Store s = Store.open(loc)) {
            id = s.resolve("raw-1@latest");
        }
        WebServer server = WebServer.start(new WebServer.Config(loc, "127.0.0.1:0", null, 2, 100));
        try {
            String base = "http://127.0.0.1:" + server.port();
            // the audit page links each capture's bytes and its page
            String page = get(base + "/audit/" + id, HttpResponse.BodyHandlers.ofString()).body();
            for (String f : new String[] {"fw.txt", "netstat.txt", "nmap.txt"}) {
                assertThat(page).contains("href=\"/audit/" + id + "/capture/" + f + "\"", "href=\"/audit/" + id + "/capture/" + f + "/view\"");
            }
            expectBytes(base + "/audit/" + id + "/capture/fw.txt", fw, "text/plain", "fw.txt", id);
            expectBytes(base + "/audit/" + id + "/capture/netstat.txt", ns, "text/plain; charset=Shift_JIS", "netstat.txt", id);
            expectBytes(base + "/audit/" + id + "/capture/nmap.txt", nmap, "text/plain; charset=UTF-8", "nmap.txt", id);
            // the API serves the same bytes and says what they are
            assertThat(get(base + "/api/v1/audits/" + id + "/captures/fw.txt", HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(fw);
            String api = get(base + "/api/v1/audits/" + id + "/captures", HttpResponse.BodyHandlers.ofString()).body();
            var caps = new com.fasterxml.jackson.databind.ObjectMapper().readTree(api).path("captures");
            assertThat(caps.findValuesAsText("name")).startsWith("fw.txt", "netstat.txt", "nmap.txt");
            assertThat(caps.get(0).path("charset").isNull()).isTrue();
            assertThat(caps.get(1).path("charset").asText()).isEqualTo("Shift_JIS");
            assertThat(caps.get(2).path("charset").asText()).isEqualTo("UTF-8");
            for (int i = 0; i < 3; i++) assertThat(caps.get(i).path("exact").asBoolean()).isTrue();
            assertThat(caps.get(0).path("bytes").asLong()).isEqualTo(fw.length);
            assertThat(caps.get(0).path("view").asText()).isEqualTo("/audit/" + id + "/capture/fw.txt/view");

            // the page view: decoded text (the NBSP as it is, the Shift_JIS comment as Japanese), the 0xFF marked, all escaped
            HttpResponse<String> view = get(base + "/audit/" + id + "/capture/fw.txt/view", HttpResponse.BodyHandlers.ofString());
            assertThat(view.statusCode()).isEqualTo(200);
            assertThat(view.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(view.body()).contains("anywhere\u00a0            anywhere", "# 保守用 ポート", "&lt;script&gt;alert(1)&lt;/script&gt;",
                    "<mark class=\"undecodable\" title=\"bytes UTF-8 cannot decode\">\\xFF</mark>", "1 byte(s)", "encoding</th><td>unknown")
                    .doesNotContain("<script>alert(1)");
            String nmapView = get(base + "/audit/" + id + "/capture/nmap.txt/view", HttpResponse.BodyHandlers.ofString()).body();
            assertThat(nmapView).contains("<mark class=\"undecodable\" title=\"byte-order mark EF BB BF (UTF-8)\">BOM</mark>", "Armadillo\u306eIP");
            assertThat(get(base + "/audit/" + id + "/capture/netstat.txt/view", HttpResponse.BodyHandlers.ofString()).body())
                    .contains("# 検査 ライン42", "encoding</th><td>Shift_JIS").doesNotContain("<mark class=\"undecodable\" title=\"bytes");
            assertThat(get(base + "/audit/" + id + "/capture/nope.txt/view", HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        } finally {
            server.close();
        }
    }

    static void expectBytes(String url, byte[] given, String type, String name, long id) throws Exception {
        HttpResponse<byte[]> r = get(url, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        assertThat(r.body()).as(url).isEqualTo(given);
        // Jetty writes the charsets it knows in lower case (utf-8)
        assertThat(r.headers().firstValue("Content-Type").orElse("").replace(";charset", "; charset")).as(url).isEqualToIgnoringCase(type);
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"portaudit-audit-" + id + "-" + name + "\"");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; sandbox");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    static <T> HttpResponse<T> get(String url, HttpResponse.BodyHandler<T> h) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(), h);
    }
}
