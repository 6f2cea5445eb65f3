package io.portaudit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.cli.MainTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The store reads a result document as a stream ({@link Facts#read}) and keeps it as its hash and gzip written as it is
 * written ({@link Store.Document}): the same facts, hash and text as from the whole document.
 */
class StoreDocumentTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Documents of audits with and without a scan, and the minimal stored fixture. */
    static java.util.List<String> documents() throws Exception {
        java.util.List<String> docs = new java.util.ArrayList<>();
        MainTest.Run r = Cli.run(Cli.fw1(null, "--json"));
        assertThat(r.out()).as(r.err()).contains("\"schema\"");
        docs.add(r.out());
        MainTest.Run fw = Cli.run("audit", "-q", "--no-store", "--json", "--input", Cli.SEED + "440-iptables-L.txt",
                Cli.SEED + "440-netstat-a.txt");
        docs.add(fw.out());
        docs.add(Files.readString(Path.of("src/test/resources/fixtures/store/result-minimal.json")));
        return docs;
    }

    @Test
    void streamedFactsAreTheFactsOfTheWholeTree() throws Exception {
        // the texts come after the findings: the streamed reader keeps the findings' neutral titles all the same
        String first = documents().get(0);
        assertThat(Facts.read(JSON.createParser(first), null).facts().findings())
                .anySatisfy(f -> assertThat(f.title()).contains(String.valueOf(io.portaudit.model.L10n.OPEN)));
        for (String doc : documents()) {
            JsonNode tree = JSON.readTree(doc);
            for (Coverage given : new Coverage[] {null, Coverage.ofDocument(tree)}) {
                Facts.Read read = Facts.read(JSON.createParser(doc), given);
                assertThat(read.facts()).isEqualTo(Facts.of(tree, given));
                assertThat(read.schemaVersion()).isEqualTo(tree.path("schemaVersion").asInt(0));
                int shown = 0, failing = 0;
                for (JsonNode f : tree.path("findings")) {
                    shown++;
                    if ("fails".equals(f.path("status").asText())) failing++;
                }
                assertThat(read.findings()).isEqualTo(shown);
                assertThat(read.failing()).isEqualTo(failing);
            }
        }
    }

    @Test
    void aDocumentWrittenAsAStreamHasTheHashAndTextOfTheWholeOne() throws Exception {
        for (String doc : documents()) {
            // written in small pieces (as the streamed AuditJson writes), with a surrogate pair cut between two writes
            String text = doc + "\ud83d\ude00";
            Store.Document streamed = Store.Document.write(w -> {
                for (int i = 0; i < text.length(); i += 7) w.write(text, i, Math.min(7, text.length() - i));
            });
            Store.Document whole = Store.Document.of(text);
            assertThat(streamed.hash()).isEqualTo(Store.sha256(text)).isEqualTo(whole.hash());
            assertThat(streamed.text()).isEqualTo(text);
            try (var in = new GZIPInputStream(new ByteArrayInputStream(streamed.gzip()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
            }
        }
    }

    @Test
    void whatIsNoAuditResultIsRefusedAsBefore() {
        for (String bad : new String[] {"[1, 2]", "{\"schema\": \"portaudit-diff\", \"ports\": []}", "{}", "3"}) {
            assertThatThrownBy(() -> Store.Document.of(bad).read(null)).as(bad).isInstanceOf(StoreException.class)
                    .hasMessageContaining("not a portaudit audit result");
        }
        assertThatThrownBy(() -> Store.Document.of("{\"schema\": ").read(null)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("not JSON");
    }
}
