package io.portaudit.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portaudit} command line. */
@Command(name = "portaudit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        header = "Which ports does this device expose, which program stands behind each, and is that what we mean to ship?",
        description = {
            "",
            "portaudit reads a Linux device's firewall rules (iptables, ip6tables, nftables), its listening sockets and "
                    + "their processes, and what a scan from the network sees, correlates the three views port by port, "
                    + "and reports findings with evidence and a concrete fix.",
            ""
        },
        subcommands = {
            AuditCommand.class,
            FirewallCommand.class,
            InventoryCommand.class,
            ScanCommand.class,
            CollectScriptCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  clean: the work completed and no finding reached the fail threshold",
            "  1  findings at or above the fail threshold (--fail-on)",
            "  2  usage or input error",
            "  3  could not collect or scan everything; partial results were kept and marked partial",
            "",
            "Run 'portaudit help COMMAND' for a command's options."
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("portaudit: " + ex.getMessage());
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserException ue) {
                commandLine.getErr().println("portaudit: " + ue.getMessage());
                return ue.exitCode();
            }
            commandLine.getErr().println("portaudit: internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return ExitCodes.INCOMPLETE;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
