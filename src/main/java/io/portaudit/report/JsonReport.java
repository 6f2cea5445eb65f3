package io.portaudit.report;

import io.portaudit.audit.AuditJson;
import io.portaudit.audit.AuditResult;
import java.io.IOException;
import java.io.Writer;

/** The audit as JSON: {@link AuditJson}'s document (docs/FORMATS.md, versioned by {@code schemaVersion}). */
public final class JsonReport {
    private JsonReport() {}

    public static void write(AuditResult r, Writer out) throws IOException {
        AuditJson.write(r, out);
    }
}
