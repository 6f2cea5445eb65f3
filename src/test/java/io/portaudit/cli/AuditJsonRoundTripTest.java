package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.portaudit.audit.AuditJson;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.ReportScenario;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit JSON (schema version 2): valid against the schema file shipped in the jar, the same bytes for the same
 * input, read back by {@code audit --input previous.json} into the same document, unknown fields of a newer version
 * named and never a crash, and every command writing a model type with the same keys.
 */
class AuditJsonRoundTripTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SEED = "src/test/resources/fixtures/seed/";
    static final String[] SEED_440 = {SEED + "440-iptables-L.txt", SEED + "440-netstat-a.txt", SEED + "440-nmap.txt"};
    static final String[] SEED_G3 = {SEED + "g3-iptables-L.txt", SEED + "g3-netstat-a.txt"};

    @TempDir
    Path dir;

    static JsonSchema schema() throws Exception {
        try (InputStream in = AuditJson.class.getResourceAsStream("/schema/portaudit-audit.schema.json")) {
            assertThat(in).as("schema file in the jar").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    static MainTest.Run audit(List<String> extra, String... inputs) {
        List<String> args = new ArrayList<>(List.of("audit", "--json", "-q"));
        args.addAll(extra);
        args.add("--input");
        args.addAll(List.of(inputs));
        return MainTest.run(args.toArray(String[]::new));
    }

    static String withoutTimestamp(String doc) {
        return doc.replaceAll("\"collectedAt\" : \"[^\"]*\"", "\"collectedAt\" : \"T\"");
    }

    private Path save(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void seedAuditsValidateAreStableAndRoundTrip() throws Exception {
        JsonSchema schema = schema();
        List<List<String>> options = List.of(List.of(), List.of("--profile", "armadillo-440"));
        for (String[] inputs : List.of(SEED_440, SEED_G3)) {
            for (List<String> opts : options) {
                MainTest.Run first = audit(opts, inputs);
                assertThat(first.exit()).as(first.err()).isIn(0, 1);
                Set<ValidationMessage> errors = schema.validate(JSON.readTree(first.out()));
                assertThat(errors).as("schema errors for %s %s", List.of(inputs), opts).isEmpty();
                // two runs over the same input: the same bytes but for the run's own timestamp
                MainTest.Run second = audit(opts, inputs);
                assertThat(withoutTimestamp(second.out())).isEqualTo(withoutTimestamp(first.out()));
                // read back and written again: the same document, and the same exit code
                Path saved = save("previous.json", first.out());
                MainTest.Run again = audit(List.of(), saved.toString());
                assertThat(again.err()).isEmpty();
                assertThat(again.out()).as("round trip of %s %s", List.of(inputs), opts).isEqualTo(first.out());
                assertThat(again.exit()).isEqualTo(first.exit());
                // and the other reports render from the result read back as from the live one
                for (String format : List.of("text", "sarif", "junit", "markdown", "html")) {
                    List<String> liveArgs = new ArrayList<>(List.of("audit", "-o", format));
                    liveArgs.addAll(opts);
                    liveArgs.add("--input");
                    MainTest.Run live = MainTest.run(concat(liveArgs, List.of(inputs)));
                    MainTest.Run back = MainTest.run("audit", "-o", format, "--input", saved.toString());
                    assertThat(back.exit()).isEqualTo(live.exit());
                    assertThat(back.out().replaceAll("20\\d\\d-\\d\\d-\\d\\dT[0-9:.]+Z?", "T"))
                            .as(format).isEqualTo(live.out().replaceAll("20\\d\\d-\\d\\d-\\d\\dT[0-9:.]+Z?", "T"));
                }
            }
        }
    }

    static String[] concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out.toArray(String[]::new);
    }

    @Test
    void libraryCallRoundTripsAResultWithPolicyChangesAndAcceptedFindings() throws Exception {
        AuditResult r = ReportScenario.result();
        String doc = AuditJson.write(r);
        assertThat(schema().validate(JSON.readTree(doc))).isEmpty();
        AuditResult back = AuditJson.read(doc);
        assertThat(AuditJson.write(back)).isEqualTo(doc);
        assertThat(back.outcome().findings()).isEqualTo(r.outcome().findings());
        assertThat(back.rows()).isEqualTo(r.rows());
        assertThat(back.notChecked()).isEqualTo(r.notChecked());
        assertThat(back.exitCode()).isEqualTo(r.exitCode());
    }

    @Test
    void unknownFieldsOfANewerVersionAreNamedNeverACrash() throws Exception {
        String doc = audit(List.of(), SEED_440).out();
        ObjectNode root = (ObjectNode) JSON.readTree(doc);
        root.put("schemaVersion", 4);
        root.putObject("signature").put("alg", "ed25519");
        ObjectNode row = (ObjectNode) root.path("ports").get(1);
        ((ObjectNode) row.path("scan")).put("osmatch", "Linux 5.10");
        ((ObjectNode) row.path("listeners").get(0)).put("cgroupPath", "/system.slice/x");
        ((ObjectNode) root.path("findings").get(0)).put("confidence", "firm");
        Path saved = save("newer.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        MainTest.Run r = audit(List.of(), saved.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode out = JSON.readTree(r.out());
        assertThat(out.path("schemaVersion").asInt()).isEqualTo(3);
        String note = out.path("notes").get(out.path("notes").size() - 1).asText();
        assertThat(note).contains("schema version 4", "signature", "PortResult.osmatch", "Listener.cgroupPath", "Finding.confidence");
        // everything it knows is kept
        assertThat(out.path("ports")).isEqualTo(JSON.readTree(doc).path("ports"));
        assertThat(out.path("findings")).isEqualTo(JSON.readTree(doc).path("findings"));
    }

    /** Version 2 documents (before findings were merged, no reasons) are still read: the store holds them. */
    @Test
    void aVersion2ResultIsReadAsItWas() throws Exception {
        String doc = audit(List.of(), SEED_440).out();
        ObjectNode root = (ObjectNode) JSON.readTree(doc);
        root.put("schemaVersion", 2);
        com.fasterxml.jackson.databind.node.ArrayNode flat = JSON.createArrayNode();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) flat.add(f);
        root.set("findings", flat);
        Path saved = save("v2.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        MainTest.Run r = audit(List.of(), saved.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode out = JSON.readTree(r.out());
        assertThat(out.path("findings").size()).isEqualTo(flat.size());
        assertThat(out.path("findings").findValuesAsText("reasons")).isEmpty();
        assertThat(io.portaudit.audit.JsonFindings.atoms(out)).extracting(f -> f.path("id").asText())
                .containsExactlyElementsOf(io.portaudit.audit.JsonFindings.atoms(JSON.readTree(doc)).stream().map(f -> f.path("id").asText()).toList());
    }

    @Test
    void aBrokenOrOldResultIsAnInputErrorAndIsNeverMixed() throws Exception {
        String doc = audit(List.of(), SEED_440).out();
        Path old = save("old.json", doc.replace("\"schemaVersion\" : 3", "\"schemaVersion\" : 1"));
        MainTest.Run r = audit(List.of(), old.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("old.json", "schema version 1");

        Path cut = save("cut.json", doc.substring(0, doc.length() / 2));
        r = audit(List.of(), "portaudit-audit:" + cut);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cut.json", "not valid JSON");

        Path badEnum = save("bad.json", doc.replaceFirst("\"verdict\" : \"accept\"", "\"verdict\" : \"maybe\""));
        r = audit(List.of(), badEnum.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad.json", "ports", "maybe");

        Path noProto = save("noproto.json", doc.replaceFirst("\"protocol\" : \"tcp\",\n    \"family\"", "\"family\""));
        r = audit(List.of(), noProto.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("ports[0]", "protocol");

        Path ok = save("previous.json", doc);
        r = audit(List.of(), ok.toString(), SEED + "440-netstat-a.txt");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("previous.json", "alone");
        r = audit(List.of("--profile", "armadillo-440"), ok.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("previous audit result");
    }

    /** Every command writes a model type with the same keys in the same order (one mapping, no drifting writers). */
    @Test
    void everyCommandWritesEachModelTypeTheSameWay() throws Exception {
        JsonNode audit = JSON.readTree(audit(List.of(), SEED_440).out());
        JsonNode inventory = JSON.readTree(MainTest.run("inventory", "--json", "--from", SEED + "440-netstat-a.txt").out());
        JsonNode firewall = JSON.readTree(MainTest.run("firewall", "--json", SEED + "440-iptables-L.txt").out());

        JsonNode auditListener = null;
        for (JsonNode p : audit.path("ports")) if (p.path("listeners").size() > 0) auditListener = p.path("listeners").get(0);
        assertThat(keys(inventory.path("listeners").get(0))).isEqualTo(keys(auditListener));

        List<String> finding = keys(firewall.path("findings").get(0));
        List<String> gated = new ArrayList<>(keys(audit.path("findings").get(0)));
        gated.removeAll(List.of("status", "note", "reasons"));
        assertThat(finding).isEqualTo(gated);
        assertThat(firewall.path("findings").get(0).path("ports").isObject() || firewall.path("findings").get(0).path("ports").isNull())
                .isTrue();

        JsonNode auditRange = null;
        for (JsonNode p : audit.path("ports")) if (!p.path("firewall").isNull()) auditRange = p.path("firewall");
        assertThat(keys(firewall.path("exposures").get(0).path("ranges").get(0))).isEqualTo(keys(auditRange));

        JsonNode scanned = null;
        for (JsonNode p : audit.path("ports")) if (!p.path("scan").isNull()) scanned = p.path("scan");
        String line = io.portaudit.scan.JsonLinesOutput.toJson(new io.portaudit.model.PortResult("10.77.2.2",
                io.portaudit.model.Protocol.TCP, 21, io.portaudit.model.PortState.OPEN, "syn-ack", "ftp", null, null, null)).toString();
        List<String> scanKeys = new ArrayList<>(keys(JSON.readTree(line)));
        assertThat(scanKeys.remove(0)).isEqualTo("type");
        assertThat(scanKeys).isEqualTo(keys(scanned));
    }

    static List<String> keys(JsonNode n) {
        assertThat(n).isNotNull();
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
