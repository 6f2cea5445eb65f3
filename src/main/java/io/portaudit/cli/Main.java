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

    /** The subcommands, in the order help lists them. */
    private static final java.util.Map<String, java.util.function.Supplier<Object>> COMMANDS = new java.util.LinkedHashMap<>();

    static {
        COMMANDS.put("audit", AuditCommand::new);
        COMMANDS.put("firewall", FirewallCommand::new);
        COMMANDS.put("inventory", InventoryCommand::new);
        COMMANDS.put("scan", ScanCommand::new);
        COMMANDS.put("collect-script", CollectScriptCommand::new);
        COMMANDS.put("history", HistoryCommand::new);
        COMMANDS.put("show", ShowCommand::new);
        COMMANDS.put("diff", DiffCommand::new);
        COMMANDS.put("baseline", BaselineCommand::new);
        COMMANDS.put("store", StoreCommand::new);
        COMMANDS.put("fleet", FleetCommand::new);
        COMMANDS.put("worker", WorkerCommand::new);
        COMMANDS.put("serve", ServeCommand::new);
        COMMANDS.put("completion", CompletionCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /** The subcommands' names, in the order help lists them. */
    static java.util.Set<String> commandNames() {
        return java.util.Collections.unmodifiableSet(COMMANDS.keySet());
    }

    /** The whole command line, every subcommand built (for help and tests). */
    public static CommandLine commandLine() {
        return commandLine(COMMANDS.keySet());
    }

    /**
     * Only the subcommand a run names is built: picocli reflects over every option of every command
     * it is given, which is most of a short run's start-up. Help and unknown names get them all.
     */
    static CommandLine commandLineFor(String[] args) {
        if (args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help")) return commandLine(java.util.List.of(args[0]));
        return commandLine();
    }

    private static CommandLine commandLine(java.util.Collection<String> names) {
        CommandLine cl = new CommandLine(new Main());
        // --lang sets the thread's language while the command line is parsed; the run ends in the language it began with
        io.portaudit.model.L10n.Lang at = io.portaudit.model.L10n.lang();
        cl.setExecutionStrategy(parseResult -> {
            try {
                // --help in the language asked for: picocli's own headings from the bundle (descriptions stay English)
                if (io.portaudit.model.L10n.ja()) cl.setResourceBundle(ParameterErrors.usageBundle());
                return new CommandLine.RunLast().execute(parseResult);
            } finally {
                io.portaudit.model.L10n.set(at);
            }
        });
        for (String name : names) cl.addSubcommand(name, COMMANDS.get(name).get());
        cl.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            java.util.List<String> explained = ex instanceof CommandLine.UnmatchedArgumentException u ? Suggestions.explain(u) : null;
            if (explained != null) {
                // "unknown command 'audti'" + "Did you mean 'audit'?"
                err.println("portaudit: " + io.portaudit.model.Text.terminal(explained.get(0)));
                for (String line : explained.subList(1, explained.size())) err.println(line);
            } else {
                err.println("portaudit: " + io.portaudit.model.Text.terminal(ParameterErrors.explain(ex)));
            }
            err.println(io.portaudit.model.L10n.t("cmd.pc.usagehint", ex.getCommandLine().getCommandSpec().qualifiedName()));
            io.portaudit.model.L10n.set(at);
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserException ue) {
                commandLine.getErr().println("portaudit: " + io.portaudit.model.Text.terminal(ue.getMessage()));
                return ue.exitCode();
            }
            if (ex instanceof io.portaudit.store.StoreException se) {
                commandLine.getErr().println("portaudit: " + io.portaudit.model.Text.terminal(se.getMessage()));
                return se.exitCode();
            }
            // a file error that no command turned into its own sentence: still one sentence naming the file
            java.io.IOException ioe = ex instanceof java.io.IOException i ? i : ex instanceof java.io.UncheckedIOException u ? u.getCause() : null;
            if (ioe != null && io.portaudit.model.IoErrors.file(ioe) != null) {
                commandLine.getErr().println("portaudit: " + io.portaudit.model.Text.terminal(io.portaudit.model.IoErrors.file(ioe) + ": "
                        + io.portaudit.model.IoErrors.reason(ioe)));
                return ExitCodes.USAGE;
            }
            commandLine.getErr().println("portaudit: " + io.portaudit.model.L10n.t("cmd.internal", io.portaudit.model.Text.terminal(String.valueOf(ex))));
            ex.printStackTrace(commandLine.getErr());
            return ExitCodes.INCOMPLETE;
        });
        return cl;
    }

    public static void main(String[] args) {
        io.portaudit.model.L10n.set(io.portaudit.model.L10n.Lang.fromEnvironment(System::getenv));
        System.exit(commandLineFor(args).execute(args));
    }

}
