package io.portaudit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.cli.MainTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over HTTP: security rules, bounded parameters, the JSON API, the same diff as the command line. */
class WebServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    static Path dir;
    static Path db;
    static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        db = WebFixture.build(dir);
        server = WebServer.start(new WebServer.Config(WebFixture.location(db), "127.0.0.1:0", null, 2, 100));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAnswerCarriesTheContentSecurityPolicyAndTheUsualHeaders() throws Exception {
        for (String p : new String[] {"/", "/device/1", "/audit/1", "/api/v1/fleet", "/no-such-page", "/audit/x"}) {
            HttpResponse<String> r = get(p);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(p).hasValue(WebServer.CSP);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(p).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(p).hasValue("DENY");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(p).hasValue("no-referrer");
            assertThat(r.headers().firstValue("Server")).as(p).isEmpty();
        }
        assertThat(WebServer.CSP).contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    }

    @Test
    void malformedOrUnknownIdsAreA400Or404WithAMessageNeverAStackTrace() throws Exception {
        HttpResponse<String> bad = get("/audit/1%27%20OR%201=1");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("audit id must be a number").doesNotContain("Exception").doesNotContain("at io.");
        assertThat(get("/device/99999999999999999999").statusCode()).isEqualTo(400);
        HttpResponse<String> none = get("/api/v1/audits/999999");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(none.body()).path("error").asText()).isEqualTo("no audit 999999 in the store");
        assertThat(get("/?port=tcp/99999").statusCode()).isEqualTo(400);
        assertThat(get("/?port=tcp/99999").body()).contains("port must be tcp/N or udp/N");
        assertThat(get("/?sort=drop%20table").statusCode()).isEqualTo(400);
        assertThat(get("/?q=" + "x".repeat(300)).statusCode()).isEqualTo(400);
        assertThat(get("/?limit=100000").statusCode()).isEqualTo(400);
        assertThat(get("/port/icmp/1").statusCode()).isEqualTo(400);
        assertThat(get("/diff?a=nosuchdevice@latest&b=1").statusCode()).isEqualTo(404);
        assertThat(get("/audit/1/report.exe").statusCode()).isEqualTo(404);
    }

    @Test
    void itIsReadOnly() throws Exception {
        for (String m : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/audit/1"))
                    .method(m, HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(m).isEqualTo(405);
        }
    }

    @Test
    void withoutATokenOnlyALoopbackHostHeaderIsAnswered() throws Exception {
        // a page elsewhere whose name was rebound to 127.0.0.1 sends its own name as Host
        assertThat(raw("evil.example")).startsWith("HTTP/1.1 403").contains("answers only to a loopback address");
        assertThat(raw("localhost:" + server.port())).startsWith("HTTP/1.1 200");
        assertThat(get("/api/v1/fleet").statusCode()).isEqualTo(200);
    }

    static String raw(String host) throws Exception {
        try (java.net.Socket so = new java.net.Socket("127.0.0.1", server.port())) {
            so.setSoTimeout(10_000);
            so.getOutputStream().write(("GET /api/v1/fleet HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(so.getInputStream().readNBytes(1 << 20), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void theFleetApiFiltersByPortModelGateAndSearch() throws Exception {
        JsonNode all = JSON.readTree(get("/api/v1/fleet").body());
        assertThat(all.path("total").asInt()).isEqualTo(6);
        JsonNode telnet = JSON.readTree(get("/api/v1/fleet?port=tcp/23").body());
        assertThat(names(telnet)).containsExactlyInAnyOrder("pa-440", "pa-nft", "hostile");   // a440's latest (v2) closed telnet
        JsonNode model = JSON.readTree(get("/api/v1/fleet?model=armadillo-iot-g3").body());
        assertThat(names(model)).containsExactlyInAnyOrder("g3", "pa-g3");
        JsonNode q = JSON.readTree(get("/api/v1/fleet?q=SN440").body());
        assertThat(names(q)).containsExactly("a440");
        JsonNode sorted = JSON.readTree(get("/api/v1/fleet?sort=-exposed").body());
        int prev = Integer.MAX_VALUE;
        for (JsonNode r : sorted.path("rows")) {
            assertThat(r.path("exposed").asInt()).isLessThanOrEqualTo(prev);
            prev = r.path("exposed").asInt();
        }
        for (JsonNode r : JSON.readTree(get("/api/v1/fleet?gate=fail").body()).path("rows")) assertThat(r.path("gate").asText()).isEqualTo("fail");
    }

    static java.util.List<String> names(JsonNode fleet) {
        java.util.List<String> out = new java.util.ArrayList<>();
        fleet.path("rows").forEach(r -> out.add(r.path("name").asText()));
        return out;
    }

    @Test
    void theDiffIsTheSameAsPortauditDiff() throws Exception {
        JsonNode dev = JSON.readTree(get("/api/v1/fleet?q=a440").body()).path("rows").get(0);
        JsonNode device = JSON.readTree(get("/api/v1/devices/" + dev.path("id").asLong()).body());
        long a = device.path("audits").get(0).path("id").asLong(), b = device.path("audits").get(1).path("id").asLong();
        String web = get("/api/v1/diff?a=" + a + "&b=" + b).body();
        MainTest.Run cli = MainTest.run("diff", "--store", db.toString(), "--json", String.valueOf(a), String.valueOf(b));
        assertThat(cli.exit()).isEqualTo(1);
        assertThat(JSON.readTree(web)).isEqualTo(JSON.readTree(cli.out()));
        assertThat(web).contains("\"status\" : \"gone\"").contains("\"status\" : \"new\"");
        // references as the command line takes them
        MainTest.Run byRef = MainTest.run("diff", "--store", db.toString(), "--json", "a440@-1", "a440@latest");
        assertThat(JSON.readTree(get("/api/v1/diff?a=a440@-1&b=a440@latest").body())).isEqualTo(JSON.readTree(byRef.out()));
        // the device's exposure lifecycle: telnet closed at v2
        assertThat(device.path("lifecycle").toString()).contains("tcp/23/ipv4").contains("closed");
    }

    @Test
    void everyReportFormatDownloads() throws Exception {
        JsonNode dev = JSON.readTree(get("/api/v1/fleet?q=a440").body()).path("rows").get(0);
        long id = dev.path("lastAuditId").asLong();
        JsonNode audit = JSON.readTree(get("/api/v1/audits/" + id).body());
        assertThat(audit.path("document").path("schema").asText()).isEqualTo("portaudit-audit");
        for (JsonNode d : audit.path("downloads")) {
            HttpResponse<String> r = get(d.asText());
            assertThat(r.statusCode()).as(d.asText()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
            assertThat(r.body()).as(d.asText()).isNotBlank();
        }
        MainTest.Run shown = MainTest.run("show", "--store", db.toString(), "--json", String.valueOf(id));
        assertThat(get("/audit/" + id + "/report.json").body().strip()).isEqualTo(shown.out().strip());
        assertThat(get("/audit/" + id + "/report.sarif").body()).contains("\"version\" : \"2.1.0\"");
        assertThat(get("/audit/" + id + "/report.html").body()).startsWith("<!DOCTYPE html>");
        // the command line's show writes the same documents, with no line of its own before them
        String store = db.toString();
        assertThat(JSON.readTree(MainTest.run("show", "--store", store, "-o", "sarif", String.valueOf(id)).out()).path("version").asText())
                .isEqualTo("2.1.0");
        assertThat(MainTest.run("show", "--store", store, "-o", "html", String.valueOf(id)).out()).startsWith("<!DOCTYPE html>");
        assertThat(MainTest.run("show", "--store", store, "-o", "junit", String.valueOf(id)).out()).startsWith("<?xml");
        assertThat(MainTest.run("show", "--store", store, String.valueOf(id)).out()).startsWith("audit " + id + " of ");
    }

    static long latestAudit(String device) throws Exception {
        for (JsonNode d : JSON.readTree(get("/api/v1/fleet?limit=1000").body()).path("rows")) {
            if (d.path("name").asText().equals(device)) return d.path("lastAuditId").asLong();
        }
        throw new AssertionError("no device " + device);
    }

    @Test
    void theAuditPageLinksTheRawCapturesItWasMadeFromEachServedAsItsBytes() throws Exception {
        long id = latestAudit("a440");
        String page = get("/audit/" + id).body();
        for (String f : new String[] {"440-iptables-L.txt", "440-netstat-a.txt", "440-nmap.txt"}) {
            assertThat(page).contains("href=\"/audit/" + id + "/capture/" + f + "\"");
            HttpResponse<String> r = get("/audit/" + id + "/capture/" + f);
            assertThat(r.statusCode()).as(f).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).matches("(?i)text/plain; ?charset=utf-8");
            assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"portaudit-audit-" + id + "-" + f + "\"");
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; sandbox");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            // the text the audit read (fw2's files: the latest audit of a440 is v2)
            assertThat(r.body()).isEqualTo(Files.readString(Path.of(WebFixture.FW2 + f)));
        }
        JsonNode caps = JSON.readTree(get("/api/v1/audits/" + id + "/captures").body());
        assertThat(caps.path("captures").findValuesAsText("name")).containsExactly("440-iptables-L.txt", "440-netstat-a.txt", "440-nmap.txt",
                "scan.nmap.xml");
        assertThat(caps.path("captures").get(1).path("url").asText()).isEqualTo("/audit/" + id + "/capture/440-netstat-a.txt");
        assertThat(caps.path("capBytes").asLong()).isEqualTo(16L << 20);
        assertThat(JSON.readTree(get("/api/v1/audits/" + id).body()).path("captures").size()).isEqualTo(4);
        assertThat(get("/api/v1/audits/" + id + "/captures/440-nmap.txt").body()).contains("22/tcp open  ssh");
        assertThat(get("/audit/" + id + "/capture/no-such.txt").statusCode()).isEqualTo(404);
        assertThat(get("/audit/" + id + "/capture/..%2F..%2Fetc%2Fpasswd").statusCode()).isIn(400, 404);
        assertThat(get("/audit/" + id + "/capture/%3Cscript%3E").body()).doesNotContain("<script>");
        // a capture whose text is hostile is served as text, never as markup
        long hostile = latestAudit("hostile");
        HttpResponse<String> xml = get("/audit/" + hostile + "/capture/hostile-nmap.xml");
        assertThat(xml.headers().firstValue("Content-Type").orElse("")).matches("(?i)application/xml; ?charset=utf-8");
        assertThat(xml.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void theNmapXmlDownloadIsTheScanAsNmapWritesItAndAbsentWithAReasonWithoutAScan() throws Exception {
        long v2 = latestAudit("a440");
        long v1 = JSON.readTree(get("/api/v1/audits/" + v2).body()).path("audit").path("previous").asLong();
        JsonNode audit = JSON.readTree(get("/api/v1/audits/" + v2).body());
        assertThat(audit.path("nmapXml").asText()).isEqualTo("/audit/" + v2 + "/scan.nmap.xml");
        assertThat(get("/audit/" + v2).body()).contains("href=\"/audit/" + v2 + "/scan.nmap.xml\"");
        HttpResponse<String> r = get("/audit/" + v2 + "/scan.nmap.xml");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).matches("(?i)application/xml; ?charset=utf-8");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"portaudit-audit-" + v2 + "-scan.nmap.xml\"");
        // read back by portaudit's own nmap XML reader: the ports and states of the nmap output the audit read
        var back = io.portaudit.scan.NmapOutputs.readXml("scan.nmap.xml", r.body());
        var given = io.portaudit.scan.NmapOutputs.readNormal("440-nmap.txt", Files.readString(Path.of(WebFixture.FW2 + "440-nmap.txt")));
        assertThat(back.problems()).isEmpty();
        assertThat(back.ports()).extracting(p -> p.protocol().label() + "/" + p.port() + " " + p.state().label())
                .containsExactlyElementsOf(given.ports().stream().map(p -> p.protocol().label() + "/" + p.port() + " " + p.state().label()).toList());
        Path a = dir.resolve("v1.xml"), b = dir.resolve("v2.xml");
        Files.writeString(a, get("/audit/" + v1 + "/scan.nmap.xml").body());
        Files.writeString(b, r.body());
        // valid against nmap's DTD, and ndiff reads both and names the change, where they are installed
        if (Files.isExecutable(Path.of("/usr/bin/xmllint")) && Files.exists(Path.of("/usr/share/nmap/nmap.dtd"))) {
            Process x = new ProcessBuilder("/usr/bin/xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", a.toString(), b.toString())
                    .redirectErrorStream(true).start();
            String out = new String(x.getInputStream().readAllBytes());
            x.waitFor();
            // the one deviation: nmap's DTD allows only scanner="nmap"; portaudit names itself (as its scan -oX does)
            assertThat(out.lines().filter(l -> l.contains("error") && !l.contains("attribute scanner of nmaprun")).toList()).as(out).isEmpty();
            assertThat(out).contains("validity error : Value \"portaudit\" for attribute scanner");
        }
        if (Files.isExecutable(Path.of("/usr/bin/ndiff"))) {
            Process n = new ProcessBuilder("/usr/bin/ndiff", a.toString(), b.toString()).redirectErrorStream(true).start();
            String out = new String(n.getInputStream().readAllBytes());
            assertThat(n.waitFor()).as(out).isEqualTo(1);   // 1: the scans differ
            assertThat(out).contains("-23/tcp").doesNotContain("Traceback");
        }
        // an audit without a scan: no link, the reason instead; the URL says why
        long noScan = latestAudit("pa-g3");
        assertThat(JSON.readTree(get("/api/v1/audits/" + noScan).body()).path("nmapXml").isNull()).isTrue();
        String page = get("/audit/" + noScan).body();
        assertThat(page).doesNotContain("scan.nmap.xml").contains("nmap XML: no scan in this audit");
        HttpResponse<String> none = get("/audit/" + noScan + "/scan.nmap.xml");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("has no nmap XML: no scan in this audit");
        // an audit that read nmap XML: that XML, as it was read
        long hostile = latestAudit("hostile");
        assertThat(get("/audit/" + hostile + "/scan.nmap.xml").body()).isEqualTo(get("/audit/" + hostile + "/capture/hostile-nmap.xml").body());
    }

    @Test
    void thePortPageSaysWhichDevicesExposeItSinceWhenAndBehindWhichProgram() throws Exception {
        JsonNode p = JSON.readTree(get("/api/v1/ports/tcp/23").body());
        assertThat(p.path("port").asText()).isEqualTo("tcp/23");
        JsonNode lab = null;
        for (JsonNode d : p.path("devices")) if (d.path("name").asText().equals("pa-440")) lab = d;
        assertThat(lab).as(p.toString()).isNotNull();
        assertThat(lab.path("since").asText()).isEqualTo("2026-11-20T11:00:00.000Z");
        assertThat(lab.path("programs").toString()).isEqualTo("[\"busybox\"]");
        assertThat(lab.path("families").toString()).contains("ipv4");
        assertThat(p.path("devices").size()).isEqualTo(3);
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefused() {
        assertThatThrownBy(() -> WebServer.start(new WebServer.Config(WebFixture.location(db), "0.0.0.0:0", null, 1, 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--token-file");
        MainTest.Run r = MainTest.run("serve", "--store", db.toString(), "--listen", "0.0.0.0:0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is not a loopback address: give --token-file FILE");
        assertThat(MainTest.run("serve", "--store", db.toString(), "--listen", "example.com:80").err()).contains("must be an IP address or localhost");
    }

    @Test
    void withATokenEveryRequestNeedsItOrTheCookieDerivedFromIt(@TempDir Path tmp) throws Exception {
        String token = "s3cret-token-0123456789";
        try (WebServer s = WebServer.start(new WebServer.Config(WebFixture.location(db), "127.0.0.1:0", token, 1, 100))) {
            String base = "http://127.0.0.1:" + s.port();
            HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/fleet")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"portaudit\"");
            assertThat(none.body()).doesNotContain("a440");
            HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).header("Authorization", "Bearer nope").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/fleet")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("a440");
            // log in: a cookie derived from the token, not the token
            HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(303);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith(WebServer.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict").doesNotContain(token);
            HttpResponse<String> withCookie = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withCookie.statusCode()).isEqualTo(200);
            assertThat(withCookie.body()).contains("a440");
        }
        // and through the command: a token file lets it listen beyond loopback
        Path tf = tmp.resolve("token");
        Files.writeString(tf, "short\n");
        assertThat(MainTest.run("serve", "--store", db.toString(), "--listen", "0.0.0.0:0", "--token-file", tf.toString()).err()).contains("too short");
    }
}
