package io.portaudit.cli;

import io.portaudit.model.Text;
import io.portaudit.store.Facts;
import io.portaudit.store.Store;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit show AUDIT}: a stored audit, again. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Show an audit from the history store.",
        description = {
            "",
            "AUDIT is an id, DEVICE@latest, DEVICE@-1 (the one before), DEVICE@-N or DEVICE@YYYY-MM-DD. --json (or -o json) writes the "
                    + "stored result document exactly as the audit wrote it; text lists the stored rows and findings.",
            ""
        })
public final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "AUDIT", description = "The audit.")
    String ref;

    @Override
    public Integer call() throws IOException {
        String document;
        Facts facts;
        Store.AuditInfo info;
        Store.Device device;
        try (Store s = store.openExisting(spec.commandLine().getErr())) {
            long id = s.resolve(ref);
            document = s.document(id);
            facts = s.facts(id);
            info = s.audit(id);
            device = s.device(info.deviceId());
        }
        io.portaudit.audit.AuditResult result = null;
        String unreadable = null;
        try {
            result = io.portaudit.audit.AuditJson.read(document);
        } catch (io.portaudit.audit.AuditJson.AuditJsonException e) {
            unreadable = e.getMessage();
        }
        io.portaudit.audit.AuditResult r = result;
        for (OutputOptions.Target t : output.targets()) {
            if (r == null && !t.format().equals("json") && !t.format().equals("text")) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.show.unreadable", info.id(), unreadable));
            }
        }
        boolean color = common.useColor();
        output.write(spec.commandLine().getOut(), spec.commandLine().getErr(), common.verbosity() < 0, "show",
                Set.of("text", "json", "html", "sarif", "junit", "markdown", "md"),
                (format, w) -> {
                    if (r != null && !format.equals("json")) {
                        // a line before the report only in text: SARIF, JUnit, HTML and Markdown must stay documents of their kind
                        if (format.equals("text")) {
                            w.println(io.portaudit.model.L10n.t("cmd.show.head", info.id(), p(device.label()), p(device.key()), info.recordedAt()));
                        }
                        io.portaudit.report.Reports.write(format, r, w, format.equals("text") && color,
                                w == spec.commandLine().getOut() ? common.verbosity() : Math.max(0, common.verbosity()));
                        return;
                    }
                    if (format.equals("json") && r != null && r.texts() != null && !sameLanguage(document, r)) {
                        // stored in another language: written again from its language-neutral texts, in the reader's
                        w.print(io.portaudit.audit.AuditJson.write(r));
                        return;
                    }
                    if (format.equals("json")) {
                        w.print(document);
                        if (!document.endsWith("\n")) w.println();
                        return;
                    }
                    w.println(io.portaudit.model.L10n.t("cmd.show.audit", info.id(), p(device.label()), p(device.key()), info.collectedAt(), info.recordedAt()));
                    w.println(io.portaudit.model.L10n.t("cmd.show.source", p(info.source()), info.firmware() == null ? "" : io.portaudit.model.L10n.t("cmd.show.firmware", p(info.firmware())),
                            Columns.result(info.result()), String.join(",", info.coverage().views())));
                    int[] cw = {16, 22, 12, 8, 14, 10};
                    w.println(Columns.row(cw, io.portaudit.model.L10n.t("cmd.show.col.port"), io.portaudit.model.L10n.t("cmd.show.col.bind"), io.portaudit.model.L10n.t("cmd.show.col.scope"), io.portaudit.model.L10n.t("cmd.show.col.firewall"),
                            io.portaudit.model.L10n.t("cmd.show.col.program"), io.portaudit.model.L10n.t("cmd.show.col.scan"), io.portaudit.model.L10n.t("cmd.show.col.service")));
                    for (Facts.Row row : facts.rows()) {
                        w.println(Columns.row(cw, row.key(), p(row.bindAddress().isEmpty() ? "-" : row.bindAddress()),
                                p(row.scope()), p(row.firewall()), p(row.program()), p(row.scanState()), p(row.service()))
                                + (row.exposed() ? "  " + io.portaudit.model.L10n.t("cmd.show.exposed") : ""));
                    }
                    w.println(io.portaudit.model.L10n.t("cmd.findings"));
                    int[] fw = {26, 18, 8, 8};
                    for (Facts.FindingRow f : facts.findings()) {
                        w.println("  " + Columns.row(fw, p(f.id()), p(f.ports()), p(f.severity()), p(f.status()),
                                p(f.title() == null ? null : io.portaudit.model.L10n.render(f.title(), io.portaudit.model.L10n.lang()))));
                    }
                });
        return 0;
    }

    private static String p(String s) {
        return Text.printable(s == null ? "-" : s, 200);
    }

    /** Whether the stored document is in the language {@code r} was read in (its {@code lang}). */
    private static boolean sameLanguage(String document, io.portaudit.audit.AuditResult r) {
        try {
            return io.portaudit.audit.AuditJson.mapper().readTree(document).path("lang").asText("").equals(r.texts().lang().tag());
        } catch (IOException e) {
            return true;
        }
    }
}
