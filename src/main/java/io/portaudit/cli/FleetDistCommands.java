package io.portaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.fleet.FleetFile;
import io.portaudit.fleet.FleetQueue;
import io.portaudit.fleet.FleetRuns;
import io.portaudit.model.Text;
import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import io.portaudit.store.StoreLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code portaudit fleet submit|status|wait|cancel}: distributed fleet runs through a PostgreSQL store, audited by
 * {@code portaudit worker}s (docs/FLEET.md, "Distributed").
 */
final class FleetDistCommands {
    private FleetDistCommands() {}

    static Store openPostgres(StoreOptions store, String command, PrintWriter err, boolean quiet) {
        StoreLocation loc = store.location();
        try {
            FleetQueue.requirePostgres(loc, command);
            return StoreOptions.open(loc, err, quiet);
        } catch (StoreException e) {
            throw new UserException(e.getMessage(), e.exitCode());
        }
    }

    /** {@code portaudit fleet submit}. */
    @Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            header = "Enqueue one job per device of a fleet file in a PostgreSQL store, for 'portaudit worker's to audit.",
            description = {
                "",
                "The run and its devices are recorded in the store, and one db-scheduler job per device (instance RUN/DEVICE) is put "
                        + "in its job table; workers on any number of PCs claim them ('portaudit worker --store URL'). Entries that "
                        + "cannot be read are listed with file:line and skipped. Paths in the file (bundle, key, known-hosts, policy) "
                        + "are resolved here, so they must name the same files on the workers (a shared directory).",
                "",
                "The run id is printed alone as the last line on stdout. Needs --store jdbc:postgresql://host[:port]/db: a SQLite "
                        + "file cannot coordinate workers (exit 2).",
                ""
            })
    static final class Submit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "FLEET", description = "The fleet file (YAML, or CSV with the same column names).")
        Path file;

        @Option(names = "--run-id", paramLabel = "ID", description = "The run's id (default: a new one from the time).")
        String runId;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            FleetFile ff = FleetCommand.readFleetFile(file, err, "submitted");
            if (ff.devices().isEmpty()) throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.nodevice", file));
            if (runId != null && !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.runid", Text.terminal(runId)));
            }
            String id = runId != null ? runId : FleetRuns.newId(clock);
            try (Store s = openPostgres(store, "fleet submit", err, common.verbosity() < 0)) {
                if (new FleetRuns(s).run(id).isPresent()) throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.existsstore", id));
                FleetQueue.submit(s, id, ff.source(), ff.defaults(), ff.devices(), clock.instant());
                if (common.verbosity() >= 0) {
                    err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.fleet.submitted", id, ff.devices().size(), s.location().display())
                            + (ff.problems().isEmpty() ? "" : " " + io.portaudit.model.L10n.t("cmd.fleet.entriesskipped", ff.problems().size()))
                            + io.portaudit.model.L10n.t("cmd.fleet.submittednext", id));
                }
            } catch (StoreException e) {
                throw new UserException(e.getMessage(), e.exitCode());
            }
            out.println(id);
            return ExitCodes.OK;
        }
    }

    /** {@code portaudit fleet status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            header = "A distributed run's progress: counts, and per device its state, result and worker.",
            description = {
                "",
                "States: queued, retrying (unreachable, tried again later), running (on WORKER; its last heartbeat), done (a result "
                        + "was recorded: pass, fail or partial), failed (could not be audited, with the reason), cancelled.",
                ""
            })
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "RUN", description = "The run id, or 'latest'.")
        String run;

        @Option(names = "--json", description = "One JSON document instead of the table.")
        boolean json;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Store s = openPostgres(store, "fleet status", err, true)) {
                Instant now = clock.instant();
                FleetQueue.Status st = FleetQueue.status(s, run, now);
                if (json) out.println(json(st, now));
                else print(out, st, now);
                return ExitCodes.OK;
            } catch (StoreException e) {
                throw new UserException(e.getMessage(), e.exitCode());
            }
        }
    }

    static void print(PrintWriter out, FleetQueue.Status st, Instant now) {
        FleetRuns.Run r = st.run();
        out.println(io.portaudit.model.L10n.t(st.ended() ? "cmd.fleet.runended" : "cmd.fleet.run", r.id(), Text.terminal(String.valueOf(r.source())), r.created(),
                Columns.state(r.state())));
        StringBuilder counts = new StringBuilder();
        for (Map.Entry<String, Integer> e : st.counts().entrySet()) {
            if (e.getValue() > 0) counts.append(counts.isEmpty() ? "" : ", ").append(e.getValue()).append(' ').append(Columns.state(e.getKey()));
        }
        out.println(io.portaudit.model.L10n.t("cmd.fleet.devices", st.devices().size(), counts));
        String[] head = {io.portaudit.model.L10n.t("cmd.fleet.col.device"), io.portaudit.model.L10n.t("cmd.fleet.col.state"), io.portaudit.model.L10n.t("cmd.fleet.col.result"), io.portaudit.model.L10n.t("cmd.fleet.col.worker"),
                io.portaudit.model.L10n.t("cmd.fleet.col.try"), io.portaudit.model.L10n.t("cmd.fleet.col.audit"), io.portaudit.model.L10n.t("cmd.fleet.col.reason")};
        int w = io.portaudit.model.DisplayWidth.of(head[0]);
        for (FleetQueue.DeviceState d : st.devices()) w = Math.max(w, Math.min(40, d.device().length()));
        int[] widths = {w + 1, 9, 7, 24, 4, 7};
        out.println(Columns.row(widths, (Object[]) head));
        for (FleetQueue.DeviceState d : st.devices()) {
            String worker = d.worker() == null ? "-" : d.worker();
            if (d.heartbeat() != null) worker += " " + io.portaudit.model.L10n.t("cmd.fleet.ago", Math.max(0, Duration.between(d.heartbeat(), now).toMillis()) / 100 / 10.0);
            out.println(Columns.row(widths, Text.terminal(d.device()), Columns.state(d.state()),
                    d.status() == null ? "-" : Columns.result(d.status().label()), Text.terminal(worker), d.attempts(), d.auditId() == null ? "-" : d.auditId(),
                    d.reason() == null ? "" : Text.terminal(io.portaudit.fleet.FleetReasons.shown(d.reason()))));
        }
    }

    static String json(FleetQueue.Status st, Instant now) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("run", st.run().id());
        root.put("source", st.run().source());
        root.put("created", st.run().created());
        root.put("state", st.run().state());
        root.put("ended", st.ended());
        ObjectNode counts = root.putObject("counts");
        st.counts().forEach(counts::put);
        ArrayNode devs = root.putArray("devices");
        for (FleetQueue.DeviceState d : st.devices()) {
            ObjectNode n = devs.addObject();
            n.put("name", d.device());
            n.put("state", d.state());
            n.put("status", d.status() == null ? null : d.status().label());
            n.put("reason", d.reason());
            n.put("worker", d.worker());
            n.put("attempts", d.attempts());
            if (d.auditId() == null) n.putNull("auditId"); else n.put("auditId", d.auditId());
            n.put("heartbeat", d.heartbeat() == null ? null : d.heartbeat().toString());
        }
        if (st.ended()) root.put("exitCode", st.exitCode());
        return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /** {@code portaudit fleet wait}. */
    @Command(name = "wait", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            header = "Wait until a distributed run ends; exit code as 'fleet run'.",
            description = {
                "",
                "Polls the store until no job of the run is left (every device done, failed or cancelled), then prints the "
                        + "status. Exit codes: 0 every device passed, 1 some failed the gate, 3 some could not be audited or the run "
                        + "was cancelled before they were (3 wins over 1), 3 also when --timeout passed first or the wait was stopped (Ctrl-C, "
                        + "SIGTERM; the run goes on on its workers).",
                ""
            })
    static final class Wait implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "RUN", description = "The run id, or 'latest'.")
        String run;

        @Option(names = "--timeout", paramLabel = "TIME", description = "Give up after TIME (e.g. 30m, 90s); exit 3. Default: wait as long as it takes.")
        String timeout;

        @Option(names = "--poll", paramLabel = "TIME", description = "How often to look (default: ${DEFAULT-VALUE}).", defaultValue = "2s")
        String poll;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Duration limit = timeout == null ? null : WorkerCommand.duration("--timeout", timeout);
            Duration every = WorkerCommand.duration("--poll", poll);
            long start = System.nanoTime();
            Thread waiting = Thread.currentThread();
            // Ctrl-C / SIGTERM: stop waiting (the run goes on on its workers), print where it stands, exit 3 as for --timeout
            try (Store s = openPostgres(store, "fleet wait", err, true); StopSignals signals = StopSignals.install(waiting::interrupt)) {
                String id = new FleetRuns(s).require(run).id();
                while (true) {
                    FleetQueue.Status st = FleetQueue.status(s, id, clock.instant());
                    if (signals.fired()) {
                        Thread.interrupted();
                        if (common.verbosity() >= 0) print(out, st, clock.instant());
                        err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.fleet.waitstopped", signals.signal(), id, st.counts().get("queued"), st.counts().get("running")));
                        return ExitCodes.INCOMPLETE;
                    }
                    if (st.ended()) {
                        if (common.verbosity() >= 0) print(out, st, clock.instant());
                        return st.exitCode();
                    }
                    if (limit != null && System.nanoTime() - start > limit.toNanos()) {
                        if (common.verbosity() >= 0) print(out, st, clock.instant());
                        err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.fleet.waittimeout", id, timeout, st.counts().get("queued"), st.counts().get("running")));
                        return ExitCodes.INCOMPLETE;
                    }
                    try {
                        Thread.sleep(every.toMillis());
                    } catch (InterruptedException e) {
                        if (!signals.fired()) throw e;
                    }
                }
            } catch (StoreException e) {
                throw new UserException(e.getMessage(), e.exitCode());
            }
        }
    }

    /** {@code portaudit fleet cancel}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            header = "Cancel a distributed run: its queued devices are not audited; devices being audited now finish.",
            description = {"", "Devices removed from the queue are recorded as failed ('cancelled before it was audited').", ""})
    static final class Cancel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "RUN", description = "The run id, or 'latest'.")
        String run;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Store s = openPostgres(store, "fleet cancel", err, true)) {
                String id = new FleetRuns(s).require(run).id();
                int removed = FleetQueue.cancel(s, id, clock.instant());
                long running = FleetQueue.status(s, id, clock.instant()).devices().stream().filter(d -> d.state().equals("running")).count();
                out.println(io.portaudit.model.L10n.t("cmd.fleet.cancelled", id, removed) + (running > 0 ? io.portaudit.model.L10n.t("cmd.fleet.cancelrunning", running) : ""));
                return ExitCodes.OK;
            } catch (StoreException e) {
                throw new UserException(e.getMessage(), e.exitCode());
            }
        }
    }
}
