package io.portaudit.web;

import io.portaudit.audit.AuditJson;
import io.portaudit.audit.AuditRequest;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.AuditRun;
import io.portaudit.audit.InputSniffer;
import io.portaudit.audit.Policy;
import io.portaudit.model.ServiceNames;
import io.portaudit.store.Coverage;
import io.portaudit.store.DeviceIdentity;
import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A store filled by real audits of real captures: the seed article's Armadillo-440 outputs as firmware v1.0.0 and the
 * fw2 fixtures (telnet removed, ssh added, X11 on loopback) as v2.0.0 of the same unit, the seed's G3, the lab
 * devices' captures, and a board whose telnet banner carries {@code <script>alert(1)</script>}.
 */
final class WebFixture {
    static final String SEED = "src/test/resources/fixtures/seed/";
    static final String FW2 = "src/test/resources/fixtures/store/fw2/";
    static final String LAB = "src/test/resources/fixtures/lab/";
    static final String HOSTILE_BANNER = "<script>alert(1)</script>";
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    private WebFixture() {}

    static StoreLocation location(Path db) {
        return StoreLocation.parse(db.toString(), Map.of());
    }

    /** Audits the files (their kinds sniffed) as {@code portaudit audit --input} does, at {@code at}. */
    static AuditResult audit(Instant at, List<Path> files) throws IOException {
        return audit(at, pasted(files));
    }

    static AuditRequest.Pasted pasted(List<Path> files) throws IOException {
        List<InputSniffer.Labeled> texts = new ArrayList<>();
        for (Path f : files) texts.add(new InputSniffer.Labeled(f.toString(), null, Files.readString(f), List.of(), List.of(), null));
        return new AuditRequest.Pasted(texts);
    }

    static AuditResult audit(Instant at, AuditRequest.Pasted pasted) {
        try {
            return AuditRun.run(new AuditRequest(pasted, null, Policy.none(), null, ServiceNames.iana(),
                    Clock.fixed(at, ZoneOffset.UTC), null));
        } catch (AuditRun.AuditException e) {
            throw new IllegalStateException(e);
        }
    }

    static Store.Recorded record(Store s, DeviceIdentity id, Instant at, List<Path> files) throws IOException {
        AuditRequest.Pasted pasted = pasted(files);
        AuditResult r = audit(at, pasted);
        // pasted outputs are stamped with the time they were read; the fixture's audits happened at `at`
        var tree = AuditJson.tree(r);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("device")).put("collectedAt", at.toString());
        // recorded as `portaudit audit --input ... --store` records it: with the pasted texts (and the scan as nmap XML)
        return s.record(AuditJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree), Coverage.of(r), id, at,
                io.portaudit.store.Captures.of(r, pasted), null);
    }

    static DeviceIdentity id(String name, String serial, String model, String firmware, String hostname, String address) {
        return new DeviceIdentity(name, serial, null, null, model, firmware, hostname, List.of(address));
    }

    static List<Path> seed440() {
        return List.of(Path.of(SEED + "440-iptables-L.txt"), Path.of(SEED + "440-netstat-a.txt"), Path.of(SEED + "440-nmap.txt"));
    }

    static List<Path> fw2() {
        return List.of(Path.of(FW2 + "440-iptables-L.txt"), Path.of(FW2 + "440-netstat-a.txt"), Path.of(FW2 + "440-nmap.txt"));
    }

    static List<Path> seedG3() {
        return List.of(Path.of(SEED + "g3-iptables-L.txt"), Path.of(SEED + "g3-netstat-a.txt"), Path.of(SEED + "g3l-nmap.txt"));
    }

    static List<Path> lab(String dev) {
        String fw = dev.equals("pa-nft") ? "/nft-list-ruleset.txt" : "/iptables-L.txt";
        return List.of(Path.of(LAB + dev + fw), Path.of(LAB + dev + "/netstat-tulpn.txt"));
    }

    /** pa-440's captures and nmap XML whose telnet port carries a banner script output that is a script tag. */
    static List<Path> hostile(Path dir) throws IOException {
        String xml = Files.readString(Path.of("src/test/resources/fixtures/scan/nmap-pa440-top1000.xml"));
        String tag = "<port protocol=\"tcp\" portid=\"23\"><state state=\"open\" reason=\"syn-ack\" reason_ttl=\"0\"/><service name=\"telnet\" method=\"table\" conf=\"3\"/>";
        if (!xml.contains(tag)) throw new IllegalStateException("the pa-440 nmap fixture changed");
        xml = xml.replace(tag, tag + "<script id=\"banner\" output=\"&lt;script&gt;alert(1)&lt;/script&gt;\"/>");
        Path nmap = dir.resolve("hostile-nmap.xml");
        Files.writeString(nmap, xml);
        List<Path> out = new ArrayList<>(lab("pa-440"));
        out.add(nmap);
        return out;
    }

    /** The store every web test reads: a440 v1 then v2, g3, the three lab boards, the hostile board. */
    static Path build(Path dir) throws IOException {
        Path db = dir.resolve("web.db");
        try (Store s = Store.open(location(db))) {
            record(s, id("a440", "SN440-0001", "armadillo-440", "v1.0.0", "armadillo", "10.77.2.2"), T0, seed440());
            record(s, id("a440", "SN440-0001", "armadillo-440", "v2.0.0", "armadillo", "10.77.2.2"), T0.plusSeconds(86_400), fw2());
            record(s, id("g3", "SNG3-0001", "armadillo-iot-g3", "v1.0.0", "armadillo-g3", "10.77.1.2"), T0.plusSeconds(3_600), seedG3());
            record(s, id("pa-440", "LAB-440", "armadillo-440", "v1.0.0", "pa-440", "10.77.2.2"), T0.plusSeconds(7_200), lab("pa-440"));
            record(s, id("pa-g3", "LAB-G3", "armadillo-iot-g3", "v1.0.0", "pa-g3", "10.77.1.2"), T0.plusSeconds(7_300), lab("pa-g3"));
            record(s, id("pa-nft", "LAB-NFT", "armadillo-440", "v1.1.0", "pa-nft", "10.77.3.2"), T0.plusSeconds(7_400), lab("pa-nft"));
            record(s, id("hostile", "SN-EVIL", "armadillo-440", "v6.6.6", "<img src=x onerror=alert(2)>", "10.77.9.9"), T0.plusSeconds(9_000),
                    hostile(dir));
        }
        return db;
    }
}
