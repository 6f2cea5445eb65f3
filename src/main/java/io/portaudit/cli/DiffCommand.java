package io.portaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Policy;
import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import io.portaudit.report.DiffReport;
import io.portaudit.store.Coverage;
import io.portaudit.store.Diff;
import io.portaudit.store.Facts;
import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit diff A B}: what changed between two audits. */
@Command(name = "diff",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "What changed between two audits: ports new, gone, changed, same or unknown; findings new, resolved, still.",
        description = {
            "",
            "A and B are each an audit in the store (an id, DEVICE@latest, DEVICE@-1 for the one before, DEVICE@-N, DEVICE@YYYY-MM-DD "
                    + "for the last audit of that day), a portaudit audit JSON file, or a scan output (nmap -oX/-oN, portaudit scan "
                    + "JSON), which is audited on its own.",
            "",
            "Per (protocol, port, family): new (live only in B: a listener or an open scan state), gone (live only in A), changed "
                    + "(program, exe, service/version, firewall verdict, bind address and scope, scan state, the ids of findings on the "
                    + "port), same, or unknown when a side did not cover the port (its scan did not probe it and it had no listener "
                    + "view): unknown is never read as closed. Text is in ndiff's style: - for A, + for B, ? unknown.",
            ""
        },
        footerHeading = "%nExit codes:%n",
        footer = {"  0  no differences", "  1  differences", "  2  usage or input error"})
public final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "A", description = "The earlier audit.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The later audit.")
    String b;

    @Option(names = {"-a", "--all"}, description = "Also list ports and findings that did not change.")
    boolean all;

    Clock clock = Clock.systemUTC();

    private Store opened;

    @Override
    public Integer call() throws IOException {
        io.portaudit.model.StartupTrace.mark("diff: parsed");
        try {
            Side sa = side(a);
            Side sb = side(b);
            io.portaudit.model.StartupTrace.mark("diff: both sides read");
            Diff d = Diff.of(sa.label, sa.facts, sb.label, sb.facts);
            io.portaudit.model.StartupTrace.mark("diff: compared");
            output.write(spec.commandLine().getOut(), spec.commandLine().getErr(), common.verbosity() < 0, "diff",
                    Set.copyOf(DiffReport.FORMATS), (format, w) -> DiffReport.write(format, d, w, all));
            io.portaudit.model.StartupTrace.mark("diff: written");
            return d.different() ? 1 : 0;
        } finally {
            if (opened != null) opened.close();
            io.portaudit.model.StartupTrace.mark("diff: store closed");
        }
    }

    record Side(String label, Facts facts) {}

    private Side side(String ref) throws IOException {
        Path p = Path.of(ref);
        if (Files.isRegularFile(p)) return file(p, common, clock);
        if (Files.exists(p)) throw new UserException(ref + ": " + io.portaudit.model.L10n.t("cmd.notafile"));
        long id;
        try {
            if (opened == null) {
                opened = store.openExisting(spec.commandLine().getErr());
                io.portaudit.model.StartupTrace.mark("diff: store opened");
            }
            id = opened.resolve(ref);
        } catch (UserException | StoreException e) {
            // a path (a/b.json, out.xml) is a file that is missing, not an audit the store lacks
            if (ref.contains("/") || ref.matches(".*\\.(json|xml|txt|nmap|gnmap|log)")) throw new UserException(ref + ": " + io.portaudit.model.L10n.t("cmd.nosuchfile"));
            throw e;
        }
        return stored(opened, ref, id);
    }

    /** A stored audit as a side, labelled with how it was named, its id and time. */
    static Side stored(Store s, String ref, long id) {
        Store.AuditInfo info = s.audit(id);
        return new Side(io.portaudit.model.L10n.t("jf.diff.side", ref, id, info.collectedAt()), s.facts(id));
    }

    /** A file as a side: a portaudit audit JSON read as it is, any other input (a scan output, listings) audited on its own. */
    static Side file(Path p, CommonOptions common, Clock clock) throws IOException {
        String text;
        try {
            text = new String(io.portaudit.model.BoundedRead.read(p.toString()), StandardCharsets.UTF_8);
        } catch (io.portaudit.model.BoundedRead.TooLarge e) {
            throw new UserException(p + ": " + e.getMessage());
        }
        if (text.stripLeading().startsWith("{") && text.contains("\"portaudit-audit\"")) {
            try {
                return new Side(p.toString(), Facts.of(new ObjectMapper().readTree(text), null));
            } catch (StoreException | IOException e) {
                throw new UserException(p + ": " + e.getMessage());
            }
        }
        // any other input (nmap XML or normal output, portaudit scan JSON, pasted listings): audit it on its own
        Problems problems = new Problems();
        ServiceNames names = common.serviceNames(problems);
        AuditResult r;
        try {
            r = io.portaudit.audit.AuditRun.run(new io.portaudit.audit.AuditRequest(
                    new io.portaudit.audit.AuditRequest.Pasted(InputFiles.texts(List.of(p.toString()))), null, Policy.none(), null, names,
                    clock, null));
        } catch (io.portaudit.audit.AuditRun.AuditException e) {
            throw new UserException(p + ": " + e.getMessage());
        }
        return new Side(p.toString(), Facts.of(new ObjectMapper().readTree(io.portaudit.audit.AuditJson.write(r)), Coverage.of(r)));
    }
}
