package io.portaudit.report;

import io.portaudit.audit.AuditResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/** Every audit report format, by name. Reports only format; they compute nothing. */
public final class Reports {
    public static final List<String> FORMATS = List.of("text", "json", "html", "sarif", "junit", "markdown");

    private Reports() {}

    public static String version() {
        String v = Reports.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Writes {@code r} as {@code format}; colour only applies to text. */
    public static void write(String format, AuditResult r, Writer out, boolean color) throws IOException {
        write(format, r, out, color, 0);
    }

    /** {@code verbosity}: -1 {@code -q} (the verdict and the failing findings), 0 default, 1 {@code -v} (all evidence). */
    public static void write(String format, AuditResult r, Writer out, boolean color, int verbosity) throws IOException {
        write(format, r, out, color, verbosity, SignOff.NONE);
    }

    /** {@code signOff}: the operator and note of the HTML and Markdown reports' sign-off block. */
    public static void write(String format, AuditResult r, Writer out, boolean color, int verbosity, SignOff signOff) throws IOException {
        switch (format) {
            case "text" -> TextReport.write(r, new PrintWriter(out), color, verbosity);
            case "json" -> JsonReport.write(r, out);
            case "html" -> HtmlReport.write(r, out, signOff);
            case "sarif" -> SarifReport.write(r, out);
            case "junit" -> JunitReport.write(r, out);
            case "markdown", "md" -> MarkdownReport.write(r, out, signOff);
            default -> throw new IllegalArgumentException("unknown report format '" + format + "'; formats: " + String.join(", ", FORMATS));
        }
        out.flush();
    }
}
