package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.cli.MainTest;
import io.portaudit.lab.Lab;
import io.portaudit.lab.LabExtension;
import io.portaudit.lab.LabTest;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet lab (lab/fleet: 40 boards pa-fl-01..40 on 10.77.100.0/24 and an address with nothing behind it), audited as
 * one fleet: every board's exposed TCP ports are the lab's truth, the variants fail with their reasons (drops everything,
 * host key changed, unreachable), the outliers are the telnet unit and the changed firmware; three shards cover every
 * device exactly once and their stores, imported, give the same report as the single run.
 */
@LabTest
class FleetLabTest {
    static final Path STATE = Path.of("/run/portaudit-fleet-lab");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path fleet;
    static Map<String, String[]> truth = new HashMap<>();
    static String singleStore;
    static MainTest.Run single;

    @BeforeAll
    static void up() throws Exception {
        LabExtension.require(Files.isExecutable(Path.of("/var/cache/portaudit-lab/busybox-static/bin/busybox")),
                "busybox-static with telnetd (lab/lab deps)");
        LabExtension.require(Files.isExecutable(Path.of("/var/cache/portaudit-lab/dropbear/usr/sbin/dropbear")),
                "dropbear unpacked under /var/cache/portaudit-lab/dropbear (see RemoteLabTest)");
        Lab.Result r = Lab.run(Duration.ofMinutes(3), Lab.repo().resolve("lab/fleet").toString(), "up");
        if (r.exit() != 0) LabExtension.cannotRun("lab/fleet up failed: " + r.err() + r.out());
        fleet = STATE.resolve("fleet.yaml");
        for (String line : Files.readAllLines(STATE.resolve("truth.tsv")).subList(1, 42)) {
            String[] f = line.split("\t", -1);
            truth.put(f[0], f);
        }
        singleStore = tmp.resolve("single.db").toString();
        single = MainTest.run("fleet", "run", fleet.toString(), "--run-id", "lab", "--store", singleStore, "--parallel", "8", "--progress", "json");
    }

    @AfterAll
    static void down() {
        Lab.run(Duration.ofMinutes(3), Lab.repo().resolve("lab/fleet").toString(), "down");
    }

    @Test
    void everyBoardIsAuditedAndTheVariantsShowAsTheyAre() throws Exception {
        assertThat(truth).hasSize(41);
        assertThat(single.exit()).as(single.out() + single.err()).isEqualTo(3);
        JsonNode report = JSON.readTree(MainTest.run("fleet", "report", "lab", "--store", singleStore, "-o", "json").out());
        assertThat(report.path("devices")).hasSize(41);
        for (JsonNode d : report.path("devices")) {
            String name = d.path("name").asText();
            String[] t = truth.get(name);
            String variant = t[2];
            Set<String> expected = new TreeSet<>();
            for (String p : t[4].split(" ")) if (p.startsWith("tcp:")) expected.add("tcp/" + p.substring(4));
            Set<String> exposed = new TreeSet<>();
            d.path("exposed").forEach(x -> exposed.add(x.asText()));
            String status = d.path("status").asText(), reason = d.path("reason").asText();
            switch (variant) {
                case "g3" -> assertThat(status).as(name).isEqualTo("pass");
                case "g3-ssh" -> {
                    // audited over SSH: its no-rules firewall and IPv6 are findings a scan alone cannot make
                    assertThat(status).as(name + ": " + reason).isEqualTo("fail");
                    assertThat(reason).as(name).contains("accept-all-policy");
                    // with the listener view its silent UDP listener is exposed too: the whole truth, TCP and UDP
                    Set<String> all = new TreeSet<>();
                    for (String p : t[4].split(" ")) all.add(p.replace(':', '/'));
                    assertThat(exposed).as(name + " exposed = the lab's truth").isEqualTo(all);
                }
                case "440", "440-telnet", "440-fw2" -> {
                    assertThat(status).as(name).isEqualTo("fail");
                    assertThat(reason).as(name).contains("insecure-protocol");
                }
                case "drop", "unreachable" -> {
                    assertThat(status).as(name).isEqualTo("error");
                    assertThat(reason).as(name).contains("no answer on any scanned port");
                    assertThat(d.path("attempts").asInt()).as(name + " retried").isEqualTo(2);
                }
                case "hostkey" -> {
                    assertThat(status).as(name).isEqualTo("error");
                    assertThat(reason).as(name).contains("HOST KEY").contains("CHANGED");
                    assertThat(d.path("attempts").asInt()).as(name + " not retried").isEqualTo(1);
                }
                default -> throw new AssertionError("unknown variant " + variant);
            }
            if (d.path("auditId").isNumber() && !variant.equals("g3-ssh")) assertThat(exposed).as(name + " exposed TCP ports = the lab's truth").isEqualTo(expected);
        }
        List<String> outliers = new ArrayList<>();
        for (JsonNode o : report.path("outliers")) outliers.add(o.path("device").asText() + " +" + o.path("extra") + " -" + o.path("missing"));
        assertThat(outliers).containsExactlyInAnyOrder("pa-fl-37 +[\"tcp/23\"] -[]", "pa-fl-38 +[\"tcp/8080\"] -[]",
                "pa-fl-18 +[\"tcp/22\",\"udp/5353\"] -[]");
        assertThat(MainTest.run("show", "--store", singleStore, "pa-fl-05@latest").exit()).isZero();
    }

    /**
     * The SSH board (OpenSSH in its namespace, key, authorized_keys and known_hosts made by lab/fleet): collected over
     * SSH, not scanned only — firewall and listeners views present — its listeners are exactly the daemons the lab
     * started on it, and the audit is recorded under its fleet-file name.
     */
    @Test
    void theSshBoardIsCollectedOverSshAndItsListenersAreTheLabsTruth() throws Exception {
        String name = truth.values().stream().filter(t -> t[2].equals("g3-ssh")).map(t -> t[0]).findFirst().orElseThrow();
        String[] t = truth.get(name);
        MainTest.Run shown = MainTest.run("show", "--store", singleStore, name + "@latest", "--json");
        assertThat(shown.exit()).as(shown.err()).isIn(0, 1);
        JsonNode a = JSON.readTree(shown.out());
        assertThat(a.path("device").path("source").asText()).isEqualTo("ssh://root@" + t[1] + ":22");
        assertThat(a.path("device").path("partial").asBoolean()).isFalse();
        List<String> views = new ArrayList<>();
        a.path("views").path("present").forEach(v -> views.add(v.asText()));
        assertThat(views).containsExactlyInAnyOrder("firewall", "listeners", "scan");
        Set<String> listening = new TreeSet<>(), programs = new TreeSet<>();
        for (JsonNode p : a.path("ports")) {
            for (JsonNode l : p.path("listeners")) {
                listening.add(l.path("protocol").asText() + ":" + l.path("port").asInt());
                l.path("owners").forEach(o -> programs.add(o.path("comm").asText()));
            }
        }
        assertThat(listening).isEqualTo(new TreeSet<>(List.of(t[4].split(" "))));
        assertThat(programs).containsExactlyInAnyOrder("sshd", "busybox", "socat");
        // recorded under its name, and only once in this store
        try (Store s = Store.open(StoreLocation.parse(singleStore, Map.of()))) {
            assertThat(s.audits(s.deviceNamed(name).orElseThrow().id())).hasSize(1);
        }
    }

    @Test
    void threeShardsCoverEveryDeviceOnceAndMergeIntoTheSameReport() throws Exception {
        Set<String> seen = new HashSet<>();
        List<String> stores = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String store = tmp.resolve("shard-" + i + ".db").toString();
            stores.add(store);
            MainTest.Run r = MainTest.run("fleet", "run", fleet.toString(), "--shard", i + "/3", "--run-id", "lab", "--store", store,
                    "--parallel", "8", "--progress", "none");
            assertThat(r.exit()).as(r.err()).isIn(1, 3);
            try (Store s = Store.open(StoreLocation.parse(store, Map.of()))) {
                for (FleetRuns.Entry e : new FleetRuns(s).devices("lab")) {
                    assertThat(seen.add(e.device())).as("%s in two shards", e.device()).isTrue();
                    assertThat(e.state()).isIn("done", "failed");
                }
            }
        }
        assertThat(seen).isEqualTo(truth.keySet());
        String all = tmp.resolve("all.db").toString();
        MainTest.Run imp = MainTest.run("store", "import", "--store", all, stores.get(0), stores.get(1), stores.get(2));
        assertThat(imp.exit()).as(imp.err()).isZero();
        MainTest.Run merged = MainTest.run("fleet", "report", "lab", "--store", all, "-o", "json");
        MainTest.Run one = MainTest.run("fleet", "report", "lab", "--store", singleStore, "-o", "json");
        assertThat(merged.exit()).isEqualTo(one.exit()).isEqualTo(3);
        assertThat(FleetCommandTest.comparable(merged.out())).isEqualTo(FleetCommandTest.comparable(one.out()));
    }
}
