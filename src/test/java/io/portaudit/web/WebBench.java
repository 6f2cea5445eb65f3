package io.portaudit.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.audit.AuditJson;
import io.portaudit.audit.AuditResult;
import io.portaudit.store.Coverage;
import io.portaudit.store.DeviceIdentity;
import io.portaudit.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bench/web: a store of DEVICES devices x AUDITS audits (each a real audit of the seed's Armadillo-440 outputs, varied:
 * model, firmware, a few ports opening and closing from audit to audit), then `portaudit serve` started as its own
 * process through the launcher: time to its first answer, then REQUESTS requests of the fleet page and of random device
 * pages, CLIENTS at a time on loopback (bounded: 10 s per request, 300 s in all); p50/p99 at the server (its
 * Server-Timing header) and at the client; the server's heap after the run.
 * Usage: java -cp portaudit.jar:test-classes io.portaudit.web.WebBench DIR LAUNCHER [DEVICES AUDITS REQUESTS CLIENTS]
 */
public final class WebBench {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String launcher = args[1];
        int devices = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int audits = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int requests = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        int clients = args.length > 5 ? Integer.parseInt(args[5]) : 50;
        Files.createDirectories(dir);
        Path db = dir.resolve("web-" + devices + "x" + audits + ".db");
        if (!Files.exists(db)) fill(db, devices, audits);
        try (Store s = Store.open(WebFixture.location(db))) {
            System.out.printf("store: %d devices, %d audits, %d port rows, %d bytes%n", s.info().devices(), s.info().audits(), s.info().rows(),
                    s.info().bytes());
        }

        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(launcher, "serve", "--store", db.toString(), "--listen", "127.0.0.1:0")
                .redirectError(dir.resolve("serve.err").toFile()).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            String url = out.readLine();
            if (url == null || !url.startsWith("http://127.0.0.1:")) throw new IllegalStateException("serve did not start: " + Files.readString(dir.resolve("serve.err")));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long firstMs = (System.nanoTime() - t0) / 1_000_000;
            if (first.statusCode() != 200) throw new IllegalStateException("first answer " + first.statusCode());
            System.out.printf("start-up: `portaudit serve` to its first answer of / (fleet of %d devices): %d ms (goal <= 1000 ms)%n", devices, firstMs);

            long[] deviceIds = new long[devices];
            JsonNode fleet = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/fleet?limit=1000")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (int i = 0; i < devices; i++) deviceIds[i] = fleet.path("rows").get(i).path("id").asLong();
            Random rnd = new Random(42);
            List<String> warm = new ArrayList<>();
            for (int i = 0; i < 200; i++) warm.add(url + (i % 2 == 0 ? "" : "device/" + deviceIds[rnd.nextInt(devices)]));
            run(http, warm, clients);   // JIT warm-up, not counted
            List<String> fleetUrls = Collections.nCopies(requests, url);
            List<String> deviceUrls = new ArrayList<>();
            for (int i = 0; i < requests; i++) deviceUrls.add(url + "device/" + deviceIds[rnd.nextInt(devices)]);
            report("fleet page /", run(http, fleetUrls, clients), clients);
            report("device page /device/ID (random devices)", run(http, deviceUrls, clients), clients);
            List<String> filtered = new ArrayList<>();
            String[] qs = {"?port=tcp/23", "?model=armadillo-440", "?sort=-exposed", "?q=bench-1", "?gate=fail&sort=last"};
            for (int i = 0; i < requests; i++) filtered.add(url + qs[i % qs.length]);
            report("fleet page with filters (5 kinds)", run(http, filtered, clients), clients);
            heap(p.pid());
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    record Times(double[] server, double[] client, int errors) {}

    static Times run(HttpClient http, List<String> urls, int clients) throws Exception {
        double[] server = new double[urls.size()], client = new double[urls.size()];
        AtomicInteger next = new AtomicInteger(), errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < urls.size() && System.nanoTime() < deadline; ) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(urls.get(i))).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        client[i] = (System.nanoTime() - s) / 1e6;
                        String t = r.headers().firstValue("Server-Timing").orElse("app;dur=NaN");
                        server[i] = Double.parseDouble(t.substring(t.indexOf("dur=") + 4));
                        if (r.statusCode() != 200) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        client[i] = server[i] = Double.NaN;
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        return new Times(server, client, errors.get());
    }

    static void report(String what, Times t, int clients) {
        double[] s = t.server().clone(), c = t.client().clone();
        java.util.Arrays.sort(s);
        java.util.Arrays.sort(c);
        System.out.printf("%s: %d requests, %d at a time, %d errors: at the server p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal p99 <= 100 ms); "
                        + "at the client p50 %.1f ms, p99 %.1f ms%n", what, s.length, clients, t.errors(), pct(s, 50), pct(s, 99), s[s.length - 1],
                pct(c, 50), pct(c, 99));
    }

    static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static void heap(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process j = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String info = new String(j.getInputStream().readAllBytes());
        j.waitFor(20, TimeUnit.SECONDS);
        String rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS ?");
        System.out.println("server memory after the run: " + rss.replaceAll("\\s+", " ") + "; heap: "
                + info.lines().filter(l -> l.contains("total") || l.contains("used")).map(String::strip).findFirst().orElse(info.strip()));
    }

    /** DEVICES x AUDITS real audits of the seed's 440, varied per device and audit; one transaction each, as the audit command records. */
    static void fill(Path db, int devices, int audits) throws Exception {
        var pasted = WebFixture.pasted(WebFixture.seed440());
        AuditResult base = WebFixture.audit(WebFixture.T0, pasted);
        // recorded with its raw captures, as `audit --input ... --store` records it (the same texts: stored once)
        List<io.portaudit.store.Captures.In> captures = io.portaudit.store.Captures.of(base, pasted);
        ObjectNode template = AuditJson.tree(base);
        Coverage coverage = Coverage.of(base);
        ArrayNode ports = (ArrayNode) template.path("ports");
        String[] models = {"armadillo-440", "armadillo-iot-g3", "armadillo-640"};
        long start = System.nanoTime();
        try (Store s = Store.open(WebFixture.location(db))) {
            for (int a = 0; a < audits; a++) {
                for (int d = 0; d < devices; d++) {
                    ObjectNode doc = template.deepCopy();
                    Instant at = WebFixture.T0.plusSeconds(86_400L * a + d);
                    ((ObjectNode) doc.path("device")).put("collectedAt", at.toString());
                    ((ObjectNode) doc.path("device")).put("host", "bench-" + d);
                    // a device drops one of its ports in some audits: exposure opens and closes over time
                    ArrayNode kept = doc.putArray("ports");
                    for (int i = 0; i < ports.size(); i++) if ((i + d + a) % 7 != 0 || i == 0) kept.add(ports.get(i));
                    String text = AuditJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc);
                    s.record(text, coverage, new DeviceIdentity("bench-" + d, "SN-BENCH-" + d, null, null, models[d % 3], "v" + (1 + a / 3) + ".0",
                            "bench-" + d, List.of("10.77.150." + (d % 250))), at, captures, null);
                }
            }
        }
        System.out.printf("filled %s: %d audits in %.1f s%n", db, devices * audits, (System.nanoTime() - start) / 1e9);
    }

    private WebBench() {}
}
