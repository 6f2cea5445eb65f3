package io.portaudit.store;

import io.portaudit.cli.MainTest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Capture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's behaviour, run unchanged against each backend: {@link SqliteStoreTest} (a real file in a temp dir) and
 * {@link PostgresStoreTest} (a real server of the test's own).
 */
abstract class StoreContract {
    @TempDir
    Path tmp;

    /** A URL for a fresh, empty store. */
    abstract String newStore() throws Exception;

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAuditIsRecordedWithItsRowsFindingsAndCoverage() throws Exception {
        String url = newStore();
        MainTest.Run r = Cli.run(Cli.fw1(url, "--device", "a440", "--json"));
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode doc = JSON.readTree(r.out());
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            long id = s.resolve("a440@latest");
            assertThat(JSON.readTree(s.document(id))).isEqualTo(doc);
            Facts f = s.facts(id);
            assertThat(f).isEqualTo(new Facts(f.host(), f.source(), f.collectedAt(), "fail", 1, f.coverage(),
                    Facts.of(doc, null).rows(), Facts.of(doc, null).findings()));
            assertThat(f.rows()).anySatisfy(row -> {
                assertThat(row.key()).isEqualTo("tcp/23/ipv4");
                assertThat(row.bindAddress()).isEqualTo("0.0.0.0");
                assertThat(row.firewall()).isEqualTo("accept");
                assertThat(row.scanState()).isEqualTo("open");
                assertThat(row.exposed()).isTrue();
            });
            assertThat(f.findings()).extracting(Facts.FindingRow::id).contains("insecure-protocol", "ambiguous-listing");
            assertThat(f.coverage().views()).containsExactly("firewall", "listeners", "scan");
            assertThat(s.info().audits()).isEqualTo(1);
        }
    }

    @Test
    void theSameResultIsStoredOnceAndReimportingChangesNothing() throws Exception {
        String url = newStore();
        Path doc = tmp.resolve("a.json");
        assertThat(Cli.run(Cli.fw1(null, "-o", "json:" + doc)).exit()).isIn(1);
        MainTest.Run first = Cli.run("store", "import", "--store", url, "--device", "a440", doc.toString());
        assertThat(first.out()).as(first.err()).contains("imported 1 audit(s), 0 already stored");
        MainTest.Run again = Cli.run("store", "import", "--store", url, "--device", "a440", doc.toString(), doc.toString());
        assertThat(again.out()).contains("imported 0 audit(s), 2 already stored");
        Path export = tmp.resolve("all.jsonl");
        assertThat(Cli.run("store", "export", "--store", url, export.toString()).exit()).isZero();
        String other = newStore();
        assertThat(Cli.run("store", "import", "--store", other, export.toString()).out()).contains("imported 1 audit(s)");
        assertThat(Cli.run("store", "import", "--store", other, export.toString()).out()).contains("imported 0 audit(s), 1 already stored");
        try (Store a = Store.open(StoreLocation.parse(url, java.util.Map.of()));
             Store b = Store.open(StoreLocation.parse(other, java.util.Map.of()))) {
            assertThat(b.document(b.resolve("a440@latest"))).isEqualTo(a.document(a.resolve("a440@latest")));
            assertThat(b.facts(b.resolve("a440@latest")).rows()).isEqualTo(a.facts(a.resolve("a440@latest")).rows());
        }
    }

    @Test
    void aDeviceIsItsHardwareNotItsAddress() throws Exception {
        String url = newStore();
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            String doc = Files.readString(Path.of("src/test/resources/fixtures/store/result-minimal.json"));
            DeviceIdentity at1 = identity("10.77.80.2", "serial\tA440-0001\nmachine-id\tm1\nmodel\tArmadillo-440\nhostname\tarmadillo\n");
            DeviceIdentity at2 = identity("10.77.80.3", "serial\tA440-0001\nmachine-id\tm2-after-reflash\nhostname\tarmadillo\n");
            DeviceIdentity other = identity("10.77.80.2", "serial\tA440-0002\nhostname\tarmadillo\n");
            var r1 = s.record(doc, null, at1, Instant.parse("2026-12-01T10:00:00Z"));
            var r2 = s.record(doc.replace("2026-12-01T10:00:00Z", "2026-12-02T10:00:00Z"), null, at2, Instant.parse("2026-12-02T10:00:00Z"));
            var r3 = s.record(doc.replace("2026-12-01T10:00:00Z", "2026-12-03T10:00:00Z"), null, other, Instant.parse("2026-12-03T10:00:00Z"));
            assertThat(r2.deviceId()).isEqualTo(r1.deviceId());
            assertThat(r3.deviceId()).isNotEqualTo(r1.deviceId());
            assertThat(r1.deviceKey()).isEqualTo("serial:A440-0001");
            assertThat(s.device("A440-0001").addresses()).isEqualTo("10.77.80.3");
            assertThat(s.audits(r1.deviceId())).hasSize(2);
            // references: by serial, @latest, @-1, by day
            assertThat(s.resolve("A440-0001@latest")).isEqualTo(r2.auditId());
            assertThat(s.resolve("A440-0001@-1")).isEqualTo(r1.auditId());
            assertThat(s.resolve("A440-0001@2026-12-01")).isEqualTo(r1.auditId());
            assertThat(s.resolve(String.valueOf(r3.auditId()))).isEqualTo(r3.auditId());
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(StoreException.class, () -> s.resolve("A440-0001@-2")))
                    .hasMessageContaining("has only 2 audit(s)");
            // hostname alone is ambiguous: two devices share it
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(StoreException.class, () -> s.device("armadillo")))
                    .hasMessageContaining("ambiguous");
        }
    }

    static DeviceIdentity identity(String address, String deviceId) {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        var snap = new DeviceSnapshot("ssh://root@" + address, address, t, List.of(
                new Capture(DeviceSnapshot.KIND_DEVICE_ID, "device identity", 0, deviceId, "", t, null, false),
                new Capture(DeviceSnapshot.KIND_IP_ADDR, "ip addr", 0, "2: eth0: <BROADCAST,UP>\n    inet " + address + "/24 brd x scope global eth0\n"
                        + "    inet 127.0.0.1/8 scope host lo\n", "", t, null, false)), false, List.of());
        return DeviceIdentity.of(snap);
    }

    @Test
    void concurrentWritersAllLand() throws Exception {
        String url = newStore();
        String doc = Files.readString(Path.of("src/test/resources/fixtures/store/result-minimal.json"));
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            s.info();   // schema in place before the writers race
        }
        // more writers than cores, each recording small audits back to back: BEGIN IMMEDIATE, the busy timeout and the
        // retry of whole transactions must land every one (SQLITE_BUSY_SNAPSHOT once failed a writer here under load)
        int writers = 8, each = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int wi = w;
            done.add(pool.submit(() -> {
                try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
                    for (int i = 0; i < each; i++) {
                        String at = String.format("2026-12-01T10:%02d:%02dZ", wi, i);
                        s.record(doc.replace("2026-12-01T10:00:00Z", at), null, DeviceIdentity.named("dev" + (i % 2)), Instant.parse(at));
                        // and the same result again, racing the other writers: stored once
                        s.record(doc, null, DeviceIdentity.named("dev0"), Instant.parse(at));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
        pool.shutdown();
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            // writers x each distinct, plus the shared one (whose time 10:00:00 is also writer 0's first): writers x each in all
            assertThat(s.info().audits()).isEqualTo(writers * each);
            assertThat(s.devices()).extracting(Store.Device::name).containsExactlyInAnyOrder("dev0", "dev1");
            long rows = Facts.of(JSON.readTree(doc), null).rows().size();
            assertThat(s.info().rows()).isEqualTo(rows * writers * each);
        }
    }

    @Test
    void pruneKeepsTheLatestAndTheBaselines() throws Exception {
        String url = newStore();
        String doc = Files.readString(Path.of("src/test/resources/fixtures/store/result-minimal.json"));
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            for (int d = 1; d <= 5; d++) {
                String at = "2026-12-0" + d + "T10:00:00Z";
                s.record(doc.replace("2026-12-01T10:00:00Z", at), null, DeviceIdentity.named("g"), Instant.parse(at));
            }
            s.setBaseline("golden", s.resolve("g@2026-12-01"), java.time.Instant.parse("2026-12-02T00:00:00Z"));
            assertThat(s.prune(2, null, Instant.parse("2026-12-06T00:00:00Z"))).isEqualTo(2);
            assertThat(s.audits(s.device("g").id())).extracting(Store.AuditInfo::collectedAt)
                    .containsExactly("2026-12-01T10:00:00.000Z", "2026-12-04T10:00:00.000Z", "2026-12-05T10:00:00.000Z");
            assertThat(s.prune(null, java.time.Duration.ofDays(1), Instant.parse("2026-12-05T12:00:00Z"))).isEqualTo(1);
            assertThat(s.baseline("golden")).isEqualTo(s.resolve("g@2026-12-01"));
            assertThat(s.info().rows()).isEqualTo(2L * Facts.of(JSON.readTree(doc), null).rows().size());
        }
    }

    @Test
    void aSchemaNewerThanTheProgramIsRefusedInOneLine() throws Exception {
        String url = newStore();
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            s.info();
        }
        try (var c = java.sql.DriverManager.getConnection(StoreLocation.parse(url, java.util.Map.of()).jdbcUrl(),
                StoreLocation.parse(url, java.util.Map.of()).properties());
             var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, "
                    + "execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, 'test', 0, "
                    + (url.startsWith("jdbc:postgresql") ? "true" : "1") + ")");
        }
        MainTest.Run r = Cli.run(Cli.fw1(url, "--device", "a440"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).containsPattern("(?m)^(PASS|FAIL)  ");   // the report (-q: its verdict) is still written
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("schema version 99, newer than this portaudit understands (" + Store.SCHEMA + ")");
        assertThat(Cli.run("history", "--store", url).exit()).isEqualTo(2);
    }

    @Test
    void theSeedScenarioAcrossTwoFirmwares() throws Exception {
        String url = newStore();
        assertThat(Cli.run(Cli.fw1(url, "--device", "a440")).exit()).isEqualTo(1);
        assertThat(Cli.run(Cli.fw2(url, "--device", "a440")).exit()).isIn(0, 1);
        MainTest.Run d = Cli.run("diff", "--store", url, "--json", "a440@-1", "a440@latest");
        assertThat(d.exit()).as(d.err()).isEqualTo(1);
        JsonNode diff = JSON.readTree(d.out());
        List<String> changed = new ArrayList<>();
        for (JsonNode p : diff.path("ports")) {
            if (!p.path("status").asText().equals("same")) {
                changed.add(p.path("protocol").asText() + "/" + p.path("port").asInt() + "/" + p.path("family").asText() + " " + p.path("status").asText());
            }
        }
        assertThat(changed).containsExactly("tcp/22/ipv4 new", "tcp/23/ipv4 gone", "tcp/6000/ipv4 changed", "tcp/6000/ipv6 changed");
        for (JsonNode p : diff.path("ports")) {
            if (p.path("port").asInt() == 6000) {
                assertThat(p.path("changes").findValuesAsText("field")).contains("bind");
                assertThat(p.path("b").asText()).contains("(loopback)");
            }
        }
        assertThat(diff.path("findings").toString()).contains("\"id\":\"insecure-protocol\",\"ports\":\"tcp/23/ipv4\",\"severity\":\"high\",\"status\":\"resolved\"");
        MainTest.Run h = Cli.run("history", "--store", url, "--port", "tcp/23", "--json");
        assertThat(h.exit()).as(h.err()).isZero();
        JsonNode lc = JSON.readTree(h.out()).path("devices").get(0).path("lifecycle").path("ports").get(0);
        assertThat(lc.path("key").asText()).isEqualTo("tcp/23/ipv4");
        assertThat(lc.path("closedAt").asText()).isEqualTo(JSON.readTree(h.out()).path("devices").get(0).path("audits").get(1).path("collectedAt").asText());
        assertThat(Cli.run("diff", "--store", url, "a440@-1", "a440@-1").exit()).isZero();
        // any stored audit re-rendered in any report format
        Path html = tmp.resolve("r.html");
        MainTest.Run show = Cli.run("show", "--store", url, "a440@-1", "-o", "html:" + html, "-o", "text");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(Files.readString(html)).contains("<html").contains("telnet");
        assertThat(show.out()).contains("audit ").contains("PROTO");
        MainTest.Run json = Cli.run("show", "--store", url, "--json", "a440@latest");
        assertThat(JSON.readTree(json.out()).path("schema").asText()).isEqualTo("portaudit-audit");
    }

    @Test
    void auditSinceTheLatestAddsWhatChangedToEveryReportAsDiffComputesIt() throws Exception {
        String url = newStore();
        assertThat(Cli.run(Cli.fw1(url, "--device", "a440")).exit()).isEqualTo(1);
        Path md = tmp.resolve("r.md"), html = tmp.resolve("r.html"), junit = tmp.resolve("r.xml"), text = tmp.resolve("r.txt");
        MainTest.Run r = Cli.run(Cli.fw2(url, "--device", "a440", "--since", "a440@latest", "--json", "-o", "markdown:" + md,
                "-o", "html:" + html, "-o", "junit:" + junit, "-o", "text:" + text));
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        JsonNode doc = JSON.readTree(r.out());
        JsonNode since = doc.path("changedSince");
        assertThat(since.path("schema").asText()).isEqualTo("portaudit-diff");
        assertThat(since.path("a").asText()).startsWith("a440@latest (audit 1,");
        // the same ports and findings as 'portaudit diff' between the two stored audits (only the labels differ)
        MainTest.Run d = Cli.run("diff", "--store", url, "--json", "a440@-1", "a440@latest");
        assertThat(d.exit()).as(d.err()).isEqualTo(1);
        JsonNode diff = JSON.readTree(d.out());
        assertThat(since.path("ports")).isEqualTo(diff.path("ports"));
        assertThat(since.path("findings")).isEqualTo(diff.path("findings"));
        assertThat(since.path("different").asBoolean()).isTrue();
        // valid against the audit schema; the stored document has no such section, and reading the report back ignores it
        try (var in = io.portaudit.audit.AuditJson.class.getResourceAsStream("/schema/portaudit-audit.schema.json")) {
            var schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V7).getSchema(in);
            assertThat(schema.validate(doc)).isEmpty();
        }
        MainTest.Run shown = Cli.run("show", "--store", url, "--json", "a440@latest");
        assertThat(JSON.readTree(shown.out()).has("changedSince")).isFalse();
        JsonNode withoutSince = doc.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) withoutSince).remove("changedSince");
        assertThat(JSON.readTree(shown.out())).isEqualTo(withoutSince);
        Path saved = tmp.resolve("with-since.json");
        Files.writeString(saved, r.out());
        MainTest.Run back = Cli.run("audit", "-q", "--no-store", "--json", "--input", saved.toString());
        assertThat(back.exit()).as(back.err()).isIn(0, 1);
        assertThat(JSON.readTree(back.out())).isEqualTo(withoutSince);
        // the other formats: the same four port changes and the resolved telnet finding
        for (Path p : List.of(md, html, text)) {
            assertThat(Files.readString(p)).as(p.toString()).contains("Changed since the previous audit")
                    .contains("tcp/22/ipv4").contains("tcp/23/ipv4").contains("tcp/6000/ipv6").contains("insecure-protocol");
        }
        assertThat(Files.readString(text)).contains("+tcp/22/ipv4", "-tcp/23/ipv4", "--- a440@latest (audit 1,", "+++ this audit");
        assertThat(Files.readString(md)).contains("| tcp/23/ipv4 | gone |");
        assertThat(Files.readString(html)).contains("<section id=\"changed-since\">").contains("<tr class=\"gone\"><td>tcp/23/ipv4")
                .containsOnlyOnce("</body>");
        String xml = Files.readString(junit);
        var parsed = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        var suites = parsed.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(2);
        var changedSuite = (org.w3c.dom.Element) suites.item(1);
        assertThat(changedSuite.getAttribute("name")).isEqualTo("changed-since");
        assertThat(changedSuite.getAttribute("failures")).isEqualTo("0");
        assertThat(xml).contains("name=\"tcp/23/ipv4 gone\"", "name=\"tcp/22/ipv4 new\"");
        int total = 0;
        for (int i = 0; i < suites.getLength(); i++) total += Integer.parseInt(((org.w3c.dom.Element) suites.item(i)).getAttribute("tests"));
        assertThat(parsed.getDocumentElement().getAttribute("tests")).isEqualTo(String.valueOf(total));
        assertThat(parsed.getElementsByTagName("testcase").getLength()).isEqualTo(total);
    }

    @Test
    void diffPreviousFindsTheSameDeviceByItsIdentityAndSaysWhenThereIsNone() throws Exception {
        String url = newStore();
        MainTest.Run first = Cli.run(Cli.fw1(url, "--device", "b440", "--diff-previous", "--json"));
        assertThat(first.exit()).as(first.err()).isEqualTo(1);
        assertThat(JSON.readTree(first.out()).has("changedSince")).isFalse();
        MainTest.Run noted = Cli.run("audit", "--store", url, "--device", "c440", "--diff-previous", "--input", Cli.SEED + "440-nmap.txt");
        assertThat(noted.err()).contains("no earlier audit of this device");
        MainTest.Run second = Cli.run(Cli.fw2(url, "--device", "b440", "--diff-previous", "--json"));
        JsonNode since = JSON.readTree(second.out()).path("changedSince");
        MainTest.Run d = Cli.run("diff", "--store", url, "--json", "b440@-1", "b440@latest");
        assertThat(since.path("ports")).isNotEmpty().isEqualTo(JSON.readTree(d.out()).path("ports"));
        assertThat(since.path("a").asText()).startsWith("previous audit (audit ");
        // the same outputs again: stored once, and nothing changed since the previous audit
        MainTest.Run again = Cli.run(Cli.fw2(url, "--device", "b440", "--diff-previous"));
        assertThat(again.out()).contains("Changed since the previous audit:").contains("no differences");
        MainTest.Run ja = Cli.run(Cli.fw2(url, "--device", "b440", "--diff-previous", "--lang", "ja"));
        assertThat(ja.out()).as(ja.err()).contains("前回の監査からの変更:");
        // bad uses: a reference the store does not know, both options, no store
        MainTest.Run unknown = Cli.run(Cli.fw2(url, "--device", "b440", "--since", "nosuch@latest"));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--since nosuch@latest").contains("no device 'nosuch'");
        assertThat(Cli.run(Cli.fw2(url, "--since", "b440@latest", "--diff-previous")).exit()).isEqualTo(2);
        assertThat(Cli.run(Cli.fw2(null, "--since", "b440@latest")).exit()).isEqualTo(2);
        // a file works too, without the store
        MainTest.Run viaFile = Cli.run(Cli.fw2(null, "--since", Cli.SEED + "440-nmap.txt"));
        assertThat(viaFile.exit()).as(viaFile.err()).isIn(0, 1);
        assertThat(viaFile.out()).contains("Changed since the previous audit:").contains("--- " + Cli.SEED + "440-nmap.txt");
    }

    @Test
    void aNarrowerScanLeavesTheOtherPortsUnknownNeverClosed() throws Exception {
        String url = newStore();
        String all = Cli.SCANS + "loopback-p-all.xml", low = Cli.SCANS + "loopback-p1-1024.xml";
        // two real connect scans of 127.0.0.1 (-p- and -p 1-1024) with listeners on 2024, 40123 and 59062
        for (String f : new String[] {all, low}) {
            MainTest.Run r = Cli.run("audit", "-q", "--store", url, "--device", "lo", "--input", f);
            assertThat(r.exit()).as(r.err()).isIn(0, 1);
        }
        MainTest.Run h = Cli.run("history", "--store", url, "lo", "--json");
        JsonNode ports = JSON.readTree(h.out()).path("devices").get(0).path("lifecycle").path("ports");
        assertThat(ports).hasSize(3);
        for (JsonNode p : ports) assertThat(p.path("closedAt").isNull()).as(p.toString()).isTrue();
        MainTest.Run d = Cli.run("diff", "--store", url, "lo@-1", "lo@latest");
        assertThat(d.out()).contains("?tcp/40123/ipv4", "unknown: not covered by B").doesNotContain("-tcp/40123");
        assertThat(d.exit()).isZero();
        // the same from the two files, without the store
        MainTest.Run files = Cli.run("diff", "--no-store", "--json", all, low);
        assertThat(files.exit()).as(files.err()).isZero();
        assertThat(JSON.readTree(files.out()).path("ports").findValuesAsText("status")).containsOnly("unknown");
        // a wider scan after a narrower one: the ports the first did not cover are unknown for it, not new
        MainTest.Run back = Cli.run("diff", "--no-store", low, all);
        assertThat(back.out()).contains("?tcp/40123/ipv4", "not covered by A");
    }

    @Test
    void aUnitAgainstTheGoldenUnitsBaselineShowsEveryDeviation() throws Exception {
        String url = newStore();
        assertThat(Cli.run(Cli.fw1(url, "--device", "golden-440")).exit()).isEqualTo(1);
        MainTest.Run set = Cli.run("baseline", "set", "--store", url, "armadillo-440", "golden-440@latest");
        assertThat(set.exit()).as(set.err()).isZero();
        MainTest.Run r = Cli.run(Cli.fw2(url, "--device", "unit-7", "--baseline", "armadillo-440", "--json"));
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        List<String> dev = new ArrayList<>();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(JSON.readTree(r.out()))) {
            if (!f.path("id").asText().equals("baseline-deviation")) continue;
            dev.add(f.path("protocol").asText() + "/" + f.path("ports").path("from").asInt() + "/" + f.path("family").asText() + " "
                    + f.path("severity").asText());
        }
        assertThat(dev).containsExactlyInAnyOrder("tcp/22/ipv4 medium", "tcp/23/ipv4 medium", "tcp/6000/ipv4 medium", "tcp/6000/ipv6 medium");
        // the golden unit against itself: nothing deviates; the policy sets the severity
        Path policy = Files.writeString(tmp.resolve("p.yaml"), "version: 1\nseverity:\n  baseline-deviation: critical\n");
        MainTest.Run same = Cli.run(Cli.fw1(url, "--device", "unit-8", "--baseline", "armadillo-440", "--json"));
        assertThat(JSON.readTree(same.out()).path("findings").findValuesAsText("id")).doesNotContain("baseline-deviation");
        MainTest.Run crit = Cli.run(Cli.fw2(url, "--device", "unit-9", "--baseline", "armadillo-440", "--json", "--policy", policy.toString()));
        assertThat(crit.exit()).as(crit.err()).isEqualTo(1);
        assertThat(crit.out()).contains("\"id\" : \"baseline-deviation\",\n    \"severity\" : \"critical\"");
        assertThat(Cli.run(Cli.fw2(url, "--baseline", "no-such-model")).exit()).isEqualTo(2);
    }

    /** The fleet run tables (migration V2): each device's result recorded once per run, in the audit's transaction. */
    @Test
    void aFleetRunRecordsEachDeviceOncePerRun() throws Exception {
        String url = newStore();
        Path b1 = io.portaudit.fleet.TestBundles.write(tmp.resolve("b1.txt"), "b1", "SN-B1", new int[] {22}, new String[] {"dropbear"});
        var d1 = new io.portaudit.fleet.FleetDevice("b1", null, null, null, null, b1, false, true, "m", null, null, null, null, 3);
        var d2 = new io.portaudit.fleet.FleetDevice("b2", null, null, null, null, tmp.resolve("missing.txt"), false, true, "m", null, null, null,
                null, 4);
        var defaults = io.portaudit.fleet.FleetDefaults.none();
        java.time.Clock clock = java.time.Clock.systemUTC();
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            assertThat(s.schemaVersion()).isEqualTo(Store.SCHEMA);
            var runs = new io.portaudit.fleet.FleetRuns(s);
            runs.create("r1", "fleet.yaml", "0/1", defaults, List.of(d1, d2), Instant.now());
            assertThat(runs.require("latest").id()).isEqualTo("r1");
            assertThat(runs.require("r1").defaults()).isEqualTo(defaults);
            assertThat(runs.claim("r1", "b1", "w1", Instant.now())).isTrue();
            assertThat(runs.claim("r1", "b1", "w2", Instant.now())).isFalse();
            var o = io.portaudit.fleet.DeviceAudit.run(d1, defaults, s, "r1", clock);
            assertThat(o.status()).as(o.reason()).isEqualTo(io.portaudit.fleet.DeviceOutcome.Status.PASS);
            assertThat(o.auditId()).isEqualTo(s.resolve("b1@latest"));
            long audits = s.info().audits();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.portaudit.fleet.DeviceAudit.run(d1, defaults, s, "r1", clock))
                    .isInstanceOf(io.portaudit.fleet.FleetRuns.AlreadyRecorded.class);
            assertThat(s.info().audits()).isEqualTo(audits);
            var e = io.portaudit.fleet.DeviceAudit.run(d2, defaults, s, "r1", clock);
            assertThat(e.status()).isEqualTo(io.portaudit.fleet.DeviceOutcome.Status.ERROR);
            assertThat(e.reason()).contains("no such file");
            runs.failed("r1", e, Instant.now());
            assertThat(runs.devices("r1")).extracting(io.portaudit.fleet.FleetRuns.Entry::state).containsExactly("done", "failed");
            assertThat(runs.devices("r1").get(1).reason()).contains("no such file");
            assertThat(runs.devices("r1").get(0).spec()).isEqualTo(d1);
            assertThat(runs.resume("r1", Instant.now())).isEqualTo(1);
            assertThat(runs.devices("r1")).extracting(io.portaudit.fleet.FleetRuns.Entry::state).containsExactly("done", "queued");
            // another run records the device again
            runs.create("r2", "fleet.yaml", null, defaults, List.of(d1), Instant.now());
            assertThat(io.portaudit.fleet.DeviceAudit.run(d1, defaults, s, "r2", clock).auditId()).isNotNull();
            assertThat(runs.device("r2", "b1").orElseThrow().state()).isEqualTo("done");
        }
    }

    // ---------------------------------------------------------------- raw captures (issue 19)

    private static long rows(Store s, String sql) {
        return s.transaction("count", c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void theRawCapturesAreRecordedWithTheAuditSharedByContentExportedAndPruned() throws Exception {
        String url = newStore();
        assertThat(Cli.run(Cli.fw1(url, "--device", "a440")).exit()).isEqualTo(1);
        assertThat(Cli.run(Cli.fw2(url, "--device", "a440")).exit()).isIn(0, 1);
        String other = newStore();
        Path export = tmp.resolve("with-captures.jsonl");
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            long first = s.resolve("a440@-1"), second = s.resolve("a440@latest");
            List<Captures.Stored> caps = s.captures(first);
            assertThat(caps).extracting(Captures.Stored::name)
                    .containsExactly("440-iptables-L.txt", "440-netstat-a.txt", "440-nmap.txt", Captures.SCAN_XML_NAME);
            assertThat(caps).allSatisfy(c -> assertThat(c.kept()).isTrue());
            // the texts as the audit read them (decoded the one way every input is)
            for (String f : new String[] {"440-iptables-L.txt", "440-netstat-a.txt", "440-nmap.txt"}) {
                String given = io.portaudit.audit.InputSniffer.Labeled.ofBytes(f, null, Files.readAllBytes(Path.of(Cli.SEED + f))).text();
                assertThat(s.captureText(first, f)).contains(given);
                // and the file's exact bytes, as given
                byte[] raw = Files.readAllBytes(Path.of(Cli.SEED + f));
                assertThat(caps.stream().filter(c -> c.name().equals(f)).findFirst().orElseThrow().size()).isEqualTo(raw.length);
                assertThat(s.captureBytes(first, f)).hasValueSatisfying(b -> {
                    assertThat(b.bytes()).isEqualTo(raw);
                    assertThat(b.exact()).isTrue();
                    assertThat(b.charset()).isEqualTo("UTF-8");
                });
            }
            // the scan's XML portaudit wrote: kept as the UTF-8 of its text, not a file's bytes
            assertThat(caps.get(3).exact()).isFalse();
            assertThat(caps.get(3).charset()).isEqualTo("UTF-8");
            // the scan's nmap XML, written from the scan: the same ports and states as the nmap output it was read from
            String xml = s.captureText(first, Captures.SCAN_XML_NAME).orElseThrow();
            var back = io.portaudit.scan.NmapOutputs.readXml("scan.nmap.xml", xml);
            var given = io.portaudit.scan.NmapOutputs.readNormal("440-nmap.txt", Files.readString(Path.of(Cli.SEED + "440-nmap.txt")));
            assertThat(back.problems()).isEmpty();
            assertThat(back.ports()).extracting(p -> p.protocol().label() + "/" + p.port() + " " + p.state().label() + " " + p.service())
                    .containsExactlyElementsOf(given.ports().stream().map(p -> p.protocol().label() + "/" + p.port() + " " + p.state().label()
                            + " " + p.service()).toList());
            assertThat(back.notShown()).extracting(n -> n.state().label() + " " + n.count()).containsExactlyInAnyOrder("closed 841", "filtered 156");
            assertThat(s.captureText(first, "no-such.txt")).isEmpty();
            // the firewall listing of the two audits is the same text (fw2 changed netstat and nmap): stored once
            assertThat(rows(s, "SELECT COUNT(*) FROM audit_captures")).isEqualTo(8);
            assertThat(rows(s, "SELECT COUNT(*) FROM capture_blobs")).isEqualTo(7);
            assertThat(s.captures(second)).hasSize(4);

            try (var w = Files.newBufferedWriter(export)) {
                assertThat(s.export(w)).isEqualTo(2);
            }
            // pruning the first audit deletes its captures, and only the texts no other audit shares
            assertThat(s.prune(1, null, Instant.parse("2030-01-01T00:00:00Z"))).isEqualTo(1);
            assertThat(s.captures(first)).isEmpty();
            assertThat(rows(s, "SELECT COUNT(*) FROM audit_captures")).isEqualTo(4);
            assertThat(rows(s, "SELECT COUNT(*) FROM capture_blobs")).isEqualTo(4);
            for (Captures.Stored c : s.captures(second)) assertThat(s.captureText(second, c.name())).isPresent();
        }
        assertThat(Cli.run("store", "import", "--store", other, export.toString()).out()).contains("imported 2 audit(s)");
        try (Store b = Store.open(StoreLocation.parse(other, java.util.Map.of()))) {
            long id = b.resolve("a440@-1");
            assertThat(b.captures(id)).extracting(Captures.Stored::name)
                    .containsExactly("440-iptables-L.txt", "440-netstat-a.txt", "440-nmap.txt", Captures.SCAN_XML_NAME);
            assertThat(b.captureText(id, "440-netstat-a.txt")).contains(Files.readString(Path.of(Cli.SEED + "440-netstat-a.txt")));
            assertThat(b.captureBytes(id, "440-netstat-a.txt").orElseThrow().bytes()).isEqualTo(Files.readAllBytes(Path.of(Cli.SEED + "440-netstat-a.txt")));
            assertThat(b.captureBytes(id, "440-netstat-a.txt").orElseThrow().exact()).isTrue();
        }
    }

    @Test
    void capturesBeyondThePerAuditCapAreListedAsNotKeptAndTheAuditIsStillRecorded() throws Exception {
        String url = newStore();
        String doc = Files.readString(Path.of("src/test/resources/fixtures/store/result-minimal.json"));
        String big = "x".repeat(1023) + "\n";
        String tenMiB = big.repeat(10 * 1024);
        List<Captures.In> caps = List.of(
                new Captures.In("iptables-save.txt", "iptables-save", "iptables-save", "local", 0, false, null, tenMiB),
                new Captures.In("ss.txt", "ss", "ss -tulpen", "local", 0, false, null, tenMiB + "ss"),
                new Captures.In("uname.txt", "uname", "uname -a", "local", 0, false, null, "Linux a440 <script>alert(1)</script>\n"));
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            Store.Recorded r = s.record(doc, null, DeviceIdentity.named("big"), Instant.parse("2026-12-01T10:00:00Z"), caps, null);
            assertThat(r.stored()).isTrue();
            assertThat(s.captures(r.auditId())).extracting(c -> c.name() + " " + c.kept() + " " + c.size())
                    .containsExactly("iptables-save.txt true " + tenMiB.length(), "ss.txt false " + (tenMiB.length() + 2), "uname.txt true " + "Linux a440 <script>alert(1)</script>\n".length());
            assertThat(s.captureText(r.auditId(), "ss.txt")).isEmpty();
            assertThat(s.captureText(r.auditId(), "iptables-save.txt")).contains(tenMiB);
            assertThat(s.captureText(r.auditId(), "uname.txt")).contains("Linux a440 <script>alert(1)</script>\n");
            // compressed: 10 MiB of one repeated line takes a few KiB
            assertThat(rows(s, "SELECT MAX(LENGTH(data)) FROM capture_blobs")).isLessThan(100_000);
        }
    }

    /** Migration V5: the document is stored gzipped; an audit stored as text before V5 is still read; the hash still dedups. */
    @Test
    void theDocumentIsStoredCompressedAndOlderTextRowsStillRead() throws Exception {
        String url = newStore();
        MainTest.Run r = Cli.run(Cli.fw1(url, "--device", "a440", "--json"));
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        try (Store s = Store.open(StoreLocation.parse(url, java.util.Map.of()))) {
            long id = s.resolve("a440@latest");
            String text = s.document(id);
            assertThat(JSON.readTree(text)).isEqualTo(JSON.readTree(r.out()));
            long[] sizes = s.transaction("read", c -> {
                try (var ps = c.prepareStatement("SELECT document, document_gz FROM audits WHERE id = ?")) {
                    ps.setLong(1, id);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return new long[] {rs.getString(1).length(), rs.getBytes(2).length};
                    }
                }
            });
            assertThat(sizes[0]).isZero();
            assertThat(sizes[1]).isPositive().isLessThan(text.length() / 4);
            // the same result again: stored once (the hash is the uncompressed text's)
            assertThat(s.record(text, null, DeviceIdentity.named("a440"), Instant.now()).stored()).isFalse();
            // a row as written before V5: the text in document, no document_gz
            s.transaction("downgrade", c -> {
                try (var ps = c.prepareStatement("UPDATE audits SET document = ?, document_gz = NULL WHERE id = ?")) {
                    ps.setString(1, text);
                    ps.setLong(2, id);
                    return ps.executeUpdate();
                }
            });
            assertThat(s.document(id)).isEqualTo(text);
            MainTest.Run show = Cli.run("show", "--store", url, "--json", "a440@latest");
            assertThat(JSON.readTree(show.out())).as(show.err()).isEqualTo(JSON.readTree(text));
        }
    }

    /** A store at schema V3 with an audit in it is brought to the current schema when opened, and the audit reads as before. */
    @Test
    void aVersion3StoreIsMigratedAndItsAuditsStillRead() throws Exception {
        String url = newStore();
        StoreLocation loc = StoreLocation.parse(url, java.util.Map.of());
        boolean pg = loc.kind() == StoreLocation.Kind.POSTGRESQL;
        org.flywaydb.core.Flyway.configure(Store.class.getClassLoader())
                .dataSource(loc.jdbcUrl(), loc.properties().getProperty("user"), loc.properties().getProperty("password"))
                .locations("classpath:db/migration").target("3")
                .placeholders(java.util.Map.of("id_pk", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"))
                .load().migrate();
        String doc = Cli.run(Cli.fw1(null, "--json")).out();
        try (var c = java.sql.DriverManager.getConnection(loc.jdbcUrl(), loc.kind() == StoreLocation.Kind.SQLITE ? new java.util.Properties() : loc.properties());
             var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO devices (device_key, name, first_seen, last_seen) VALUES ('name:old', 'old', '2026-01-01T00:00:00.000Z', "
                    + "'2026-01-01T00:00:00.000Z')");
            try (var ps = c.prepareStatement("INSERT INTO audits (device_id, content_hash, recorded_at, collected_at, result, exit_code, findings, "
                    + "failing, exposed, schema_version, coverage, document) SELECT id, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', "
                    + "'fail', 1, 24, 3, 9, 3, '{}', ? FROM devices")) {
                ps.setString(1, Store.sha256(doc));
                ps.setString(2, doc);
                ps.executeUpdate();
            }
        }
        try (Store s = Store.open(loc)) {
            assertThat(s.schemaVersion()).isEqualTo(Store.SCHEMA);
            assertThat(s.document(s.resolve("old@latest"))).isEqualTo(doc);
            assertThat(s.record(doc, null, DeviceIdentity.named("old"), Instant.now()).stored()).isFalse();
        }
    }

    /** Migration V6: a capture kept before it (the UTF-8 of its text) is still served, and says it is not a file's exact bytes. */
    @Test
    void aCaptureKeptBeforeV6IsReadAsTheUtf8OfItsText() throws Exception {
        String url = newStore();
        StoreLocation loc = StoreLocation.parse(url, java.util.Map.of());
        boolean pg = loc.kind() == StoreLocation.Kind.POSTGRESQL;
        org.flywaydb.core.Flyway.configure(Store.class.getClassLoader())
                .dataSource(loc.jdbcUrl(), loc.properties().getProperty("user"), loc.properties().getProperty("password"))
                .locations("classpath:db/migration").target("5")
                .placeholders(java.util.Map.of("id_pk", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"))
                .load().migrate();
        String doc = Cli.run(Cli.fw1(null, "--json")).out();
        String text = "Proto Recv-Q Send-Q Local Address  （decoded once）\n";
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (var c = java.sql.DriverManager.getConnection(loc.jdbcUrl(), loc.kind() == StoreLocation.Kind.SQLITE ? new java.util.Properties() : loc.properties());
             var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO devices (device_key, name, first_seen, last_seen) VALUES ('name:old', 'old', '2026-01-01T00:00:00.000Z', "
                    + "'2026-01-01T00:00:00.000Z')");
            try (var ps = c.prepareStatement("INSERT INTO audits (device_id, content_hash, recorded_at, collected_at, result, exit_code, findings, "
                    + "failing, exposed, schema_version, coverage, document) SELECT id, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', "
                    + "'fail', 1, 24, 3, 9, 3, '{}', ? FROM devices")) {
                ps.setString(1, Store.sha256(doc));
                ps.setString(2, doc);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("INSERT INTO capture_blobs (hash, size, data) VALUES (?, ?, ?)")) {
                ps.setString(1, Captures.blob(text).hash());
                ps.setLong(2, utf8.length);
                ps.setBytes(3, Captures.gzip(utf8));
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("INSERT INTO audit_captures (audit_id, seq, name, kind, command, source, exit_status, truncated, netns, "
                    + "size, blob_hash) SELECT id, 0, 'netstat.txt', 'netstat', 'netstat -an', 'input', NULL, 0, NULL, ?, ? FROM audits")) {
                ps.setLong(1, utf8.length);
                ps.setString(2, Captures.blob(text).hash());
                ps.executeUpdate();
            }
        }
        try (Store s = Store.open(loc)) {
            assertThat(s.schemaVersion()).isEqualTo(Store.SCHEMA);
            long id = s.resolve("old@latest");
            assertThat(s.captures(id)).singleElement().satisfies(c -> {
                assertThat(c.exact()).isFalse();
                assertThat(c.charset()).isEqualTo("UTF-8");
                assertThat(c.size()).isEqualTo(utf8.length);
            });
            assertThat(s.captureBytes(id, "netstat.txt").orElseThrow().bytes()).isEqualTo(utf8);
            assertThat(s.captureText(id, "netstat.txt")).contains(text);
        }
    }

    /** history's FINDINGS and FAILING columns count the findings the report shows (merged per port and problem), not their reasons. */
    @Test
    void historyCountsTheFindingsTheReportShows() throws Exception {
        String url = newStore();
        MainTest.Run r = Cli.run(Cli.fw1(url, "--device", "a440", "--json"));
        JsonNode doc = JSON.readTree(r.out());
        int shown = doc.path("findings").size();
        int reasons = 0;
        for (JsonNode f : doc.path("findings")) reasons += Math.max(1, f.path("reasons").size());
        assertThat(reasons).as("the seed's findings merge several reasons").isGreaterThan(shown);
        MainTest.Run h = Cli.run("history", "--store", url, "a440", "--json");
        JsonNode audit = JSON.readTree(h.out()).path("devices").get(0).path("audits").get(0);
        assertThat(audit.path("findings").asInt()).isEqualTo(shown);
        assertThat(audit.path("failing").asInt()).isEqualTo(doc.path("summary").path("failing").asInt());
        MainTest.Run text = Cli.run("history", "--store", url, "a440");
        assertThat(text.out()).containsPattern("(?m)^  [0-9]+ +\\S+ +fail +" + shown + " +" + doc.path("summary").path("failing").asInt() + " ");
    }
}
