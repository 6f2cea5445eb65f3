package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.cli.MainTest;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code fleet run} and {@code fleet report} end to end on bundles (no network): results recorded under each device's
 * name with the run id, failures listed with reasons, exit codes, resume, the merged report in every format.
 */
class FleetCommandTest {
    @TempDir
    Path tmp;

    static final ObjectMapper JSON = new ObjectMapper();

    Path fleet() throws Exception {
        Files.createDirectories(tmp.resolve("lot42"));
        for (int i = 1; i <= 4; i++) {
            TestBundles.write(tmp.resolve("lot42/board-00" + i + ".txt"), "board-00" + i, "SN000" + i, new int[] {22, 80},
                    new String[] {"dropbear", "lighttpd"});
        }
        // the one unit of the batch with telnet left on
        TestBundles.write(tmp.resolve("lot42/board-005.txt"), "board-005", "SN0005", new int[] {22, 23, 80},
                new String[] {"dropbear", "telnetd", "lighttpd"});
        Path f = tmp.resolve("fleet.yaml");
        Files.writeString(f, """
                defaults:
                  retries: 0
                devices:
                  - {name: board-001, bundle: lot42/board-001.txt, model: a440}
                  - {name: board-002, bundle: lot42/board-002.txt, model: a440}
                  - {name: board-003, bundle: lot42/board-003.txt, model: a440}
                  - {name: board-004, bundle: lot42/board-004.txt, model: a440}
                  - {name: board-005, bundle: lot42/board-005.txt, model: a440}
                  - {name: board-006, bundle: lot42/board-006.txt, model: a440}
                  - {name: broken, bundle: lot42/board-001.txt, scan-only: true}
                """);
        return f;
    }

    static String lastLine(String s) {
        List<String> l = s.lines().filter(x -> !x.isBlank()).toList();
        return l.get(l.size() - 1);
    }

    @Test
    void aRunRecordsEveryDeviceUnderItsNameListsFailuresAndResumes() throws Exception {
        Path f = fleet();
        String store = tmp.resolve("s.db").toString();
        MainTest.Run r = MainTest.run("fleet", "run", f.toString(), "--store", store, "--progress", "json", "--parallel", "2");
        // board-006's bundle is missing: it could not be audited, so 3 (which wins over board-005's gate failure)
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        String run = lastLine(r.out());
        assertThat(run).matches("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}");
        assertThat(r.err()).contains("fleet.yaml:10: device 'broken': give only one of ssh, bundle, scan-only: true; skipped");
        assertThat(r.out()).contains("6 device(s): 4 pass, 1 fail, 0 partial, 1 could not be audited")
                .contains("board-005  fail: 1 finding(s) fail the gate: insecure-protocol")
                .contains("board-006  error: --bundle " + tmp.resolve("lot42/board-006.txt") + ": no such file");
        List<JsonNode> events = r.err().lines().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(events).filteredOn(e -> e.path("event").asText().equals("done")).hasSize(6);
        assertThat(events.get(events.size() - 1).path("done").asInt()).isEqualTo(6);

        try (Store s = Store.open(StoreLocation.parse(store, Map.of()))) {
            FleetRuns runs = new FleetRuns(s);
            List<FleetRuns.Entry> entries = runs.devices(run);
            assertThat(entries).extracting(FleetRuns.Entry::device).containsExactly("board-001", "board-002", "board-003", "board-004",
                    "board-005", "board-006");
            assertThat(entries).extracting(FleetRuns.Entry::state).containsExactly("done", "done", "done", "done", "done", "failed");
            assertThat(entries.get(5).auditId()).isNull();
            assertThat(entries.get(4).auditId()).isEqualTo(s.resolve("board-005@latest"));
            assertThat(s.device("board-005").serial()).isEqualTo("SN0005");
            assertThat(runs.require(run).state()).isEqualTo("done");
            // a device's result is recorded once per run: a second record for the same (run, device) is refused, and rolled back
            long audits = s.info().audits();
            FleetDevice d1 = entries.get(0).spec();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeviceAudit.run(d1, FleetDefaults.none(), s, run, Clock.systemUTC()))
                    .isInstanceOf(FleetRuns.AlreadyRecorded.class);
            assertThat(s.info().audits()).isEqualTo(audits);
        }
        assertThat(MainTest.run("show", "--store", store, "board-002@latest").exit()).isZero();

        // the missing bundle arrives; the run is resumed: only board-006 is audited again
        TestBundles.write(tmp.resolve("lot42/board-006.txt"), "board-006", "SN0006", new int[] {22, 80}, new String[] {"dropbear", "lighttpd"});
        MainTest.Run again = MainTest.run("fleet", "run", "--resume", run, "--store", store);
        assertThat(again.exit()).as(again.out() + again.err()).isEqualTo(1);
        assertThat(again.err()).contains("resuming fleet run " + run + ": 1 device(s) to audit");
        assertThat(again.out()).contains("6 device(s): 5 pass, 1 fail, 0 partial, 0 could not be audited");
        assertThat(lastLine(again.out())).isEqualTo(run);

        // the merged report
        MainTest.Run text = MainTest.run("fleet", "report", run, "--store", store);
        assertThat(text.exit()).isEqualTo(1);
        assertThat(text.out()).contains("tcp/23        1 of 6  telnetd").contains("tcp/22        6 of 6  dropbear")
                .contains("board-005: differs from the majority of a440 (6 devices): also exposes tcp/23");
        JsonNode json = JSON.readTree(MainTest.run("fleet", "report", "latest", "--store", store, "-o", "json").out());
        assertThat(json.path("counts").path("pass").asInt()).isEqualTo(5);
        assertThat(json.path("exitCode").asInt()).isEqualTo(1);
        assertThat(json.path("outliers")).hasSize(1);
        assertThat(json.path("outliers").get(0).path("device").asText()).isEqualTo("board-005");
        assertThat(json.path("failures").get(0).path("reason").asText()).contains("insecure-protocol");
        MainTest.Run junit = MainTest.run("fleet", "report", run, "--store", store, "-o", "junit");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(junit.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(6);
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
        assertThat(MainTest.run("fleet", "report", run, "--store", store, "-o", "markdown").out()).contains("| board-005 | fail |");
        assertThat(MainTest.run("fleet", "report", run, "--store", store, "-o", "html").out()).contains("<td class=\"fail\">fail</td>");
    }

    @Test
    void aKnownHardwareKeepsItsDeviceTheNameDoesNotSteal() throws Exception {
        Path f = fleet();
        String store = tmp.resolve("s.db").toString();
        // board-001's hardware is known under another name already
        assertThat(MainTest.run("audit", "-q", "--store", store, "--bundle", tmp.resolve("lot42/board-001.txt").toString(), "--device", "golden")
                .exit()).isIn(0, 1);
        MainTest.Run r = MainTest.run("fleet", "run", f.toString(), "--store", store, "--progress", "none");
        assertThat(r.out()).contains("recorded under the known device golden");
        try (Store s = Store.open(StoreLocation.parse(store, Map.of()))) {
            assertThat(s.audits(s.device("golden").id())).hasSize(1);   // the same bundle gives the same result: stored once
            assertThat(s.deviceNamed("board-001")).isEmpty();
            assertThat(s.deviceNamed("board-002")).isPresent();
        }
    }

    @Test
    void usageErrors() throws Exception {
        Path f = fleet();
        String store = tmp.resolve("s.db").toString();
        assertThat(MainTest.run("fleet", "run", "--store", store).exit()).isEqualTo(2);
        assertThat(MainTest.run("fleet", "run", f.toString(), "--no-store").err()).contains("needs a store");
        assertThat(MainTest.run("fleet", "run", tmp.resolve("nope.yaml").toString(), "--store", store).err()).contains("no such file");
        assertThat(MainTest.run("fleet", "run", f.toString(), "--store", store, "--shard", "3/3").err()).contains("I must be 0..2");
        assertThat(MainTest.run("fleet", "run", f.toString(), "--store", store, "--shard", "/3").err()).contains("JOB_COMPLETION_INDEX");
        assertThat(MainTest.run("fleet", "run", f.toString(), "--store", store, "--parallel", "0").exit()).isEqualTo(2);
        Files.writeString(tmp.resolve("bad.yaml"), "defaults: {timeout: forever}\ndevices: []\n");
        MainTest.Run bad = MainTest.run("fleet", "run", tmp.resolve("bad.yaml").toString(), "--store", store);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("bad.yaml:1: defaults: timeout").contains("nothing was audited");
        assertThat(MainTest.run("fleet", "report", "nope", "--store", store).exit()).isEqualTo(2);
    }

    /** A report without what differs between stores (audit ids, workers, times): devices, ports, outliers, failures. */
    static JsonNode comparable(String json) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
        for (JsonNode d : n.path("devices")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) d).remove(List.of("auditId", "worker"));
        }
        return n;
    }

    @Test
    void threeShardsCoverEveryDeviceOnceAndTheirStoresMergeIntoTheSameReport() throws Exception {
        Path f = fleet();
        TestBundles.write(tmp.resolve("lot42/board-006.txt"), "board-006", "SN0006", new int[] {22, 80}, new String[] {"dropbear", "lighttpd"});
        java.util.Set<String> seen = new java.util.HashSet<>();
        int total = 0;
        List<String> stores = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String store = tmp.resolve("shard-" + i + ".db").toString();
            stores.add(store);
            MainTest.Run r = MainTest.run("fleet", "run", f.toString(), "--shard", i + "/3", "--run-id", "lot42", "--store", store, "--progress", "none");
            assertThat(r.exit()).as(r.err()).isIn(1, 3);   // 3: the skipped entry 'broken'
            try (Store s = Store.open(StoreLocation.parse(store, Map.of()))) {
                for (FleetRuns.Entry e : new FleetRuns(s).devices("lot42")) {
                    assertThat(seen.add(e.device())).as("device %s in two shards", e.device()).isTrue();
                    assertThat(e.state()).isEqualTo("done");
                    total++;
                }
                assertThat(new FleetRuns(s).require("lot42").shard()).isEqualTo(i + "/3");
            }
        }
        assertThat(total).isEqualTo(6);
        assertThat(seen).containsExactlyInAnyOrder("board-001", "board-002", "board-003", "board-004", "board-005", "board-006");

        String all = tmp.resolve("all.db").toString();
        MainTest.Run imp = MainTest.run("store", "import", "--store", all, stores.get(0), stores.get(1), stores.get(2));
        assertThat(imp.exit()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("imported 6 audit(s), 0 already stored; fleet runs: 1 new, 6 device result(s) added");
        // importing again changes nothing
        assertThat(MainTest.run("store", "import", "--store", all, stores.get(0), stores.get(1), stores.get(2)).out())
                .contains("imported 0 audit(s), 6 already stored").doesNotContain("fleet runs");

        String single = tmp.resolve("single.db").toString();
        assertThat(MainTest.run("fleet", "run", f.toString(), "--run-id", "lot42", "--store", single, "--progress", "none").exit()).isEqualTo(3);
        MainTest.Run merged = MainTest.run("fleet", "report", "lot42", "--store", all, "-o", "json");
        MainTest.Run one = MainTest.run("fleet", "report", "lot42", "--store", single, "-o", "json");
        assertThat(merged.exit()).isEqualTo(one.exit()).isEqualTo(1);
        assertThat(comparable(merged.out())).isEqualTo(comparable(one.out()));
        assertThat(JSON.readTree(merged.out()).path("devices")).hasSize(6);
        try (Store s = Store.open(StoreLocation.parse(all, Map.of()))) {
            assertThat(new FleetRuns(s).require("lot42").shard()).isEqualTo("0/3,1/3,2/3");
            assertThat(new FleetRuns(s).require("lot42").devices()).isEqualTo(6);
        }
    }
}
