package io.portaudit.cli;

import io.portaudit.audit.AuditResult;
import io.portaudit.audit.Auditor;
import io.portaudit.collect.LocalCollector;
import io.portaudit.inventory.ProcessTable;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.report.TextReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit audit}: all views of one device, correlated into findings. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Audit a device: firewall rules, listening programs and reachability, port by port.",
        description = {
            "",
            "Without input options, audits this machine from its own tables: the listening sockets and their processes "
                    + "(from /proc), and the firewall rules (iptables-save, ip6tables-save, nft), whichever tools exist. "
                    + "No self-scan is made: a scan of one's own address travels over lo and says nothing about what a "
                    + "remote host can reach.",
            ""
        })
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        DeviceSnapshot snap = new LocalCollector().collect();
        AuditResult result = Auditor.audit(snap, ProcessTable.socketOwners(Path.of("/proc")));
        PrintWriter out = spec.commandLine().getOut();
        TextReport.write(result, out);
        return result.partial() ? ExitCodes.INCOMPLETE : ExitCodes.OK;
    }
}
