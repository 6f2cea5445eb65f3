package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The finding ids are an interface: each one the code can report is documented, with its severity. */
class FindingCatalogTest {
    @Test
    void everyIdIsDocumentedInFindingsMdWithItsSeverity() throws IOException {
        String doc = Files.readString(Path.of("docs/FINDINGS.md"));
        for (var e : FindingCatalog.IDS.entrySet()) {
            assertThat(doc).as(e.getKey()).contains("| `" + e.getKey() + "` | " + e.getValue().severity().name().toLowerCase(java.util.Locale.ROOT) + " |");
        }
    }
}
