package io.portaudit.cli;

import java.io.PrintWriter;
import java.util.List;
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

    /** {@code portaudit --lang ja --help}, {@code portaudit --lang ja audit ...}: the language before the command. */
    @CommandLine.Mixin
    LangOption lang;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The subcommands' names, in the order help lists them. */
    private static final java.util.List<String> COMMANDS = java.util.List.of("audit", "firewall", "inventory", "scan", "collect-script",
            "history", "show", "diff", "baseline", "store", "fleet", "worker", "serve", "completion", "help");

    /**
     * A new subcommand object; null for an unknown name. A switch, not a table of constructor references: each
     * reference is an invokedynamic call site linked at start-up and loads its class, whichever command runs.
     */
    private static Object command(String name) {
        return switch (name) {
            case "audit" -> new AuditCommand();
            case "firewall" -> new FirewallCommand();
            case "inventory" -> new InventoryCommand();
            case "scan" -> new ScanCommand();
            case "collect-script" -> new CollectScriptCommand();
            case "history" -> new HistoryCommand();
            case "show" -> new ShowCommand();
            case "diff" -> new DiffCommand();
            case "baseline" -> new BaselineCommand();
            case "store" -> new StoreCommand();
            case "fleet" -> new FleetCommand();
            case "worker" -> new WorkerCommand();
            case "serve" -> new ServeCommand();
            case "completion" -> new CompletionCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> null;
        };
    }

    /** The subcommands' names, in the order help lists them. */
    static java.util.Collection<String> commandNames() {
        return COMMANDS;
    }

    /** The whole command line, every subcommand built (for help and tests). */
    public static CommandLine commandLine() {
        return commandLine(COMMANDS);
    }

    /**
     * Only the subcommand a run names is built: picocli reflects over every option of every command
     * it is given, which is most of a short run's start-up. Help and unknown names get them all.
     */
    static CommandLine commandLineFor(String[] args) {
        if (args.length > 0 && COMMANDS.contains(args[0]) && !args[0].equals("help")) return commandLine(java.util.List.of(args[0]));
        // --version alone needs no subcommand (it built all 15 of them: most of its start-up)
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) return commandLine(java.util.List.of());
        return commandLine();
    }

    private static CommandLine commandLine(java.util.Collection<String> names) {
        CommandLine cl = new CommandLine(new Main());
        // --lang sets the thread's language while the command line is parsed; the run ends in the language it began with
        io.portaudit.model.L10n.Lang at = io.portaudit.model.L10n.lang();
        cl.setExecutionStrategy(parseResult -> {
            try {
                // --help in the language asked for (--lang is read by now): headings, command and option descriptions
                HelpTexts.apply(cl);
                return new CommandLine.RunLast().execute(parseResult);
            } finally {
                io.portaudit.model.L10n.set(at);
            }
        });
        for (String name : names) cl.addSubcommand(name, command(name));
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

    /**
     * A run of a command that opens the store first thing (diff, history, show, serve): its store driver is made
     * ready on a second thread while this one builds the command line (not for --no-store or help).
     */
    static boolean readsStore(String[] args) {
        if (args.length == 0 || !java.util.Set.of("diff", "history", "show", "serve").contains(args[0])) return false;
        for (String a : args) if (a.equals("--no-store") || a.equals("--help") || a.equals("-h")) return false;
        return true;
    }

    /**
     * Reads the annotations of a subcommand's classes (its own, its mixins', picocli's help mixin) ahead of picocli,
     * on a second thread while the main thread builds the top command: the JDK parses each element's annotations
     * once and makes one proxy class per annotation type (generated at run time; the AOT cache does not keep them),
     * so picocli's own reading then finds them made. Nothing here changes what picocli builds.
     */
    static void readAnnotations(String name) {
        try {
            java.util.ArrayDeque<Class<?>> todo = new java.util.ArrayDeque<>();
            java.util.Set<Class<?>> seen = new java.util.HashSet<>();
            todo.add(command(name).getClass());
            todo.add(Class.forName("picocli.CommandLine$AutoHelpMixin"));
            List<Class<?>> classes = new java.util.ArrayList<>();
            while (!todo.isEmpty()) {
                for (Class<?> k = todo.poll(); k != null && k != Object.class && seen.add(k); k = k.getSuperclass()) {
                    classes.add(k);
                    // members first: the main thread starts with the top command's @Command (two threads would make its proxy class at once)
                    for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                        f.getAnnotations();
                        if (f.isAnnotationPresent(CommandLine.Mixin.class) || f.isAnnotationPresent(CommandLine.ArgGroup.class)) todo.add(f.getType());
                    }
                    for (java.lang.reflect.Method m : k.getDeclaredMethods()) {
                        m.getAnnotations();
                        m.getParameterAnnotations();
                    }
                }
            }
            for (Class<?> k : classes) k.getAnnotations();
            io.portaudit.model.StartupTrace.mark("warm-up: annotations read");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // picocli reads them itself
        }
    }

    public static void main(String[] args) {
        io.portaudit.model.StartupTrace.mark("main");
        if (readsStore(args)) {
            io.portaudit.store.Warmup.start();
            Thread t = new Thread(() -> readAnnotations(args[0]), "portaudit-warmup-cli");
            t.setDaemon(true);
            t.start();
        }
        io.portaudit.model.L10n.set(io.portaudit.model.L10n.Lang.fromEnvironment(System::getenv));
        CommandLine cl = commandLineFor(args);
        io.portaudit.model.StartupTrace.mark("command line built");
        int code = cl.execute(args);
        io.portaudit.model.StartupTrace.mark("command done");
        System.exit(code);
    }

}
