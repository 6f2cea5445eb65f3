package io.portaudit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading fleet files: the issue's minimal form as written, every field, bad entries by line, CSV with the same columns. */
class FleetFileTest {
    @TempDir
    Path tmp;

    /** The issue's minimal fleet file, verbatim. Parsed only: nothing here contacts 10.0.0.x. */
    static final String MINIMAL = """
            defaults:
              ports: "T:1-1024"
            devices:
              - {name: board-001, address: 10.0.0.11, ssh: root@10.0.0.11}
              - {name: board-002, address: 10.0.0.12, scan-only: true}
              - {name: board-003, address: 10.0.0.13, bundle: lot42/board-003.tar.gz}
            """;

    FleetFile parse(String text) throws Exception {
        Path f = tmp.resolve("fleet.yaml");
        Files.writeString(f, text);
        return FleetFile.read(f);
    }

    @Test
    void theIssuesMinimalFileParsesAsWritten() throws Exception {
        FleetFile ff = parse(MINIMAL);
        assertThat(ff.problems()).isEmpty();
        assertThat(ff.usable()).isTrue();
        assertThat(ff.defaults().ports()).isEqualTo("T:1-1024");
        assertThat(ff.devices()).extracting(FleetDevice::name).containsExactly("board-001", "board-002", "board-003");
        FleetDevice a = ff.devices().get(0), b = ff.devices().get(1), c = ff.devices().get(2);
        assertThat(a.method()).isEqualTo("ssh");
        assertThat(a.ssh()).isEqualTo("root@10.0.0.11");
        assertThat(a.scanTarget()).isEqualTo("10.0.0.11");
        assertThat(a.line()).isEqualTo(4);
        assertThat(b.method()).isEqualTo("scan-only");
        assertThat(b.scanOnly()).isTrue();
        assertThat(b.scanTarget()).isEqualTo("10.0.0.12");
        assertThat(c.method()).isEqualTo("bundle");
        // relative to the fleet file, not to the working directory
        assertThat(c.bundle()).isEqualTo(tmp.toAbsolutePath().resolve("lot42/board-003.tar.gz"));
        assertThat(c.scanTarget()).isEqualTo("10.0.0.13");
        assertThat(ff.defaults().timeout()).isEqualTo(FleetDefaults.DEFAULT_TIMEOUT);
    }

    @Test
    void everyFieldAndDefault() throws Exception {
        FleetFile ff = parse("""
                version: 1
                defaults:
                  ports: "T:22,23,80,U:161"
                  timing: T4
                  profile: armadillo-440
                  fail-on: medium
                  timeout: 5m
                  connect-timeout: 5s
                  command-timeout: 20s
                  retries: 3
                  key: keys/id_ed25519
                  known-hosts: keys/known_hosts
                devices:
                  - name: g3-01
                    ssh: admin@g3-01.line.example:2222
                    key: other/key
                    known-hosts: other/kh
                    model: armadillo-iot-g3
                    baseline: armadillo-iot-g3
                    policy: policies/g3.yaml
                    ports: T:1-65535
                  - name: 440-01
                    address: fd77:1::2
                    bundle: /abs/b.tar.gz
                    scan: false
                    profile: armadillo-440
                """);
        assertThat(ff.problems()).isEmpty();
        FleetDefaults d = ff.defaults();
        assertThat(d.timing()).isEqualTo(4);
        assertThat(d.profile()).isEqualTo("armadillo-440");
        assertThat(d.failOn()).isEqualTo(Severity.MEDIUM);
        assertThat(d.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.commandTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(d.retries()).isEqualTo(3);
        assertThat(d.key()).isEqualTo(tmp.toAbsolutePath().resolve("keys/id_ed25519"));
        FleetDevice g3 = ff.devices().get(0);
        assertThat(g3.scanTarget()).isEqualTo("g3-01.line.example");
        assertThat(g3.key()).isEqualTo(tmp.toAbsolutePath().resolve("other/key"));
        assertThat(g3.knownHosts()).isEqualTo(tmp.toAbsolutePath().resolve("other/kh"));
        assertThat(g3.model()).isEqualTo("armadillo-iot-g3");
        assertThat(g3.baseline()).isEqualTo("armadillo-iot-g3");
        assertThat(g3.policy()).isEqualTo(tmp.toAbsolutePath().resolve("policies/g3.yaml"));
        assertThat(g3.ports()).isEqualTo("T:1-65535");
        FleetDevice b = ff.devices().get(1);
        assertThat(b.bundle()).isEqualTo(Path.of("/abs/b.tar.gz"));
        assertThat(b.scanTarget()).isNull();
        // the JSON kept in the run table gives back the same entry and defaults
        assertThat(FleetJson.device(FleetJson.write(g3))).isEqualTo(g3);
        assertThat(FleetJson.device(FleetJson.write(b))).isEqualTo(b);
        assertThat(FleetJson.defaults(FleetJson.write(d))).isEqualTo(d);
    }

    @Test
    void badEntriesAreReportedByLineAndSkippedTheRestIsKept() throws Exception {
        FleetFile ff = parse("""
                devices:
                  - {name: ok-1, address: 10.77.100.11, scan-only: true}
                  - {address: 10.77.100.12, scan-only: true}
                  - {name: no-way, address: 10.77.100.13}
                  - {name: two-ways, ssh: root@x, bundle: b.tar.gz}
                  - {name: ok-1, address: 10.77.100.14, scan-only: true}
                  - {name: typo, adress: 10.77.100.15, scan-only: true}
                  - {name: badports, address: 10.77.100.16, scan-only: true, ports: "T:70000"}
                  - {name: "has space", address: 10.77.100.17, scan-only: true}
                  - {name: "123", address: 10.77.100.18, scan-only: true}
                  - {name: badssh, ssh: "root@bad host"}
                  - {name: noaddr, scan-only: true}
                  - {name: badbool, address: 10.77.100.19, scan-only: maybe}
                  - {name: prof, address: 10.77.100.20, scan-only: true, profile: armadillo-9000}
                  - just a string
                  - {name: nested, address: [1, 2], scan-only: true}
                  - name: ok-2
                    address: 10.77.100.21
                    scan-only: true
                """);
        assertThat(ff.usable()).isTrue();
        assertThat(ff.devices()).extracting(FleetDevice::name).containsExactly("ok-1", "ok-2");
        assertThat(ff.problems()).extracting(FleetFile.Problem::line).containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        assertThat(ff.problems()).allSatisfy(p -> assertThat(p.fatal()).isFalse());
        assertThat(ff.problems().get(0).format()).startsWith(tmp.resolve("fleet.yaml") + ":3: device: no name");
        assertThat(ff.problems()).extracting(FleetFile.Problem::message).anySatisfy(m -> assertThat(m).contains("say how to audit it"))
                .anySatisfy(m -> assertThat(m).contains("give only one of ssh, bundle, scan-only"))
                .anySatisfy(m -> assertThat(m).contains("'ok-1' is already used"))
                .anySatisfy(m -> assertThat(m).contains("unknown key 'adress'"))
                .anySatisfy(m -> assertThat(m).contains("ports 'T:70000'"))
                .anySatisfy(m -> assertThat(m).contains("digits alone"))
                .anySatisfy(m -> assertThat(m).contains("scan-only needs an address"))
                .anySatisfy(m -> assertThat(m).contains("scan-only must be true or false"))
                .anySatisfy(m -> assertThat(m).contains("unknown profile 'armadillo-9000'"))
                .anySatisfy(m -> assertThat(m).contains("must be a mapping"))
                .anySatisfy(m -> assertThat(m).contains("'address' must be a single value"));
    }

    @Test
    void aBadDefaultOrStructureMakesTheFileUnusable() throws Exception {
        FleetFile bad = parse("""
                defaults:
                  ports: "T:1-1024"
                  timeout: -5s
                devices:
                  - {name: a, address: 10.77.100.11, scan-only: true}
                """);
        assertThat(bad.usable()).isFalse();
        assertThat(bad.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("timeout");
        });
        assertThat(parse("defaults: {timing: T9}\ndevices: []\n").problems().get(0).message()).contains("timing must be T0..T5");
        assertThat(parse("defaults: {fail-on: severe}\ndevices: []\n").problems().get(0).message()).contains("info, low, medium, high or critical");
        assertThat(parse("defaults: {colour: red}\ndevices: []\n").problems().get(0).message()).contains("unknown key");
        assertThat(parse("devices: {a: 1}\n").usable()).isFalse();
        assertThat(parse("devicez: []\n").problems()).extracting(FleetFile.Problem::message).anySatisfy(m -> assertThat(m).contains("unknown key 'devicez'"));
        FleetFile broken = parse("devices:\n  - {name: a, address: 10.77.100.11\n");
        assertThat(broken.usable()).isFalse();
        assertThat(broken.problems().get(0).message()).startsWith("not valid YAML");
        assertThat(broken.problems().get(0).line()).isGreaterThan(0);
        assertThat(parse("").problems().get(0).message()).contains("empty fleet file");
        assertThat(parse("- a\n- b\n").usable()).isFalse();
        assertThat(parse("version: 2\ndevices: []\n").problems().get(0).message()).contains("version must be 1");
    }

    @Test
    void csvWithTheSameColumnNames() throws Exception {
        Path f = tmp.resolve("fleet.csv");
        Files.writeString(f, "\uFEFFname,address,ssh,bundle,scan-only,model,known_hosts\r\n"
                + "board-001,10.0.0.11,root@10.0.0.11,,,armadillo-iot-g3,kh\r\n"
                + "board-002,10.0.0.12,,,true,armadillo-iot-g3,\r\n"
                + "\r\n"
                + "\"board-003\",10.0.0.13,,\"lot 42/board-003,v2.tar.gz\",,\"a \"\"quoted\"\" model\",\r\n"
                + "board-004,10.0.0.14,,,,,\r\n"
                + "board-005,10.0.0.15,,,true,x,y,z\r\n");
        FleetFile ff = FleetFile.read(f);
        assertThat(ff.devices()).extracting(FleetDevice::name).containsExactly("board-001", "board-002", "board-003");
        assertThat(ff.devices().get(0).knownHosts()).isEqualTo(tmp.toAbsolutePath().resolve("kh"));
        assertThat(ff.devices().get(2).bundle()).isEqualTo(tmp.toAbsolutePath().resolve("lot 42/board-003,v2.tar.gz"));
        assertThat(ff.devices().get(2).model()).isEqualTo("a \"quoted\" model");
        assertThat(ff.problems()).extracting(FleetFile.Problem::line).containsExactly(6, 7);
        assertThat(ff.problems().get(0).message()).contains("board-004").contains("say how to audit it");
        assertThat(ff.problems().get(1).message()).contains("8 cells");

        Files.writeString(f, "name,adress\nx,1\n");
        assertThat(FleetFile.read(f).usable()).isFalse();
        Files.writeString(f, "name,address\n\"x,1\n");
        assertThat(FleetFile.read(f).problems().get(0).message()).contains("not closed");
    }

    @Test
    void shardsSplitStablyAndCoverEveryDeviceOnce() {
        java.util.List<FleetDevice> all = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(new FleetDevice(String.format("board-%03d", i), "10.77.100.1", null, null, null, null, true, true, null, null, null, null,
                    null, i + 1));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        int total = 0;
        for (int i = 0; i < 3; i++) {
            var part = FleetRun.shard(all, i, 3);
            assertThat(part.size()).isBetween(40, 100);
            total += part.size();
            part.forEach(d -> seen.add(d.name()));
        }
        assertThat(total).isEqualTo(200);
        assertThat(seen).hasSize(200);
        // stable: a fixed value, the same on every machine and run
        assertThat(FleetRun.shard("board-001", 3)).isEqualTo(FleetRun.shard("board-001", 3));
        assertThat(FleetRun.shard(all, 0, 1)).hasSize(200);
    }
}
