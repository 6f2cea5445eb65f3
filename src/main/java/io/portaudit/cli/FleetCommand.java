package io.portaudit.cli;

import io.portaudit.fleet.DeviceOutcome;
import io.portaudit.fleet.FleetDevice;
import io.portaudit.fleet.FleetFile;
import io.portaudit.fleet.FleetReport;
import io.portaudit.fleet.FleetRun;
import io.portaudit.fleet.FleetRuns;
import io.portaudit.scan.ScanPlan;
import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import io.portaudit.store.StoreLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit fleet run|report}: audit many devices from a fleet file, and the merged report of a run. */
@Command(name = "fleet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Audit a fleet of devices from a fleet file (here, or distributed over workers), and report on a fleet run.",
        description = {
            "",
            "  run FLEET.yaml|FLEET.csv   audit every device of the file (docs/FLEET.md), recorded in the store under one run id",
            "  run --resume RUN           audit what a stopped run left: failed devices and those not yet done",
            "  report RUN                 the merged report of a run (RUN: an id or 'latest')",
            "  submit FLEET.yaml          distributed: one job per device in a PostgreSQL store, for 'portaudit worker's",
            "  status RUN                 a distributed run's counts and per device state, result and worker",
            "  wait RUN                   block until a distributed run ends (exit code as run's)",
            "  cancel RUN                 queued devices of a distributed run are not audited",
            "",
            "Exit codes (run, report and wait): 0 every device passed, 1 some failed the gate, 2 usage or input error, "
                    + "3 some could not be audited (3 wins over 1).",
            ""
        },
        subcommands = {FleetCommand.Run.class, FleetCommand.Report.class, FleetDistCommands.Submit.class, FleetDistCommands.Status.class,
                FleetDistCommands.Wait.class, FleetDistCommands.Cancel.class})
public final class FleetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code portaudit fleet run}. */
    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            header = "Audit every device of a fleet file, a few at a time, recording each result under the run's id.",
            description = {
                "",
                "Each device is audited as 'portaudit audit' would (over SSH with strict host keys and no prompts, from a "
                        + "bundle, or by a scan alone), its scan keeping the scanner's device-safe defaults, and recorded in the "
                        + "store under its name (unless its collected hardware is a device the store already knows). Entries "
                        + "that cannot be read are listed with file:line and skipped; the rest runs. Devices that cannot be "
                        + "reached are tried again (--retries); every device that fails is listed with its reason.",
                "",
                "On a terminal a progress line shows done / failed / running / ETA; --progress json writes one JSON line "
                        + "per event on stderr. Ctrl-C (or SIGTERM) stops cleanly: finished devices are kept, the summary is printed, "
                        + "'fleet run --resume RUN' does the rest (exit code 3: not every device was audited; a second Ctrl-C ends at once). The run id is printed alone as the last line on stdout.",
                "",
                "The per-device time limit (--timeout, the file's 'timeout') is hard: a device still being audited at its limit "
                        + "is abandoned and recorded as failed, 'timed out after N s'.",
                ""
            })
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FLEET", description = "The fleet file (YAML, or CSV with the same column names).")
        Path file;

        @Option(names = "--resume", paramLabel = "RUN", description = "Continue a stopped run: its failed devices and those not done.")
        String resume;

        @Option(names = "--parallel", paramLabel = "N", description = "Devices audited at a time (default: ${DEFAULT-VALUE}, min(4, 2 x cores)).")
        int parallel = FleetRun.defaultParallel();

        @Option(names = "--shard", paramLabel = "I/N",
                description = "Audit only shard I of N (0-based; a stable hash of the device name). I defaults to $JOB_COMPLETION_INDEX "
                        + "(a Kubernetes Indexed Job) when --shard /N or --shards N is given.")
        String shard;

        @Option(names = "--shards", paramLabel = "N", description = "With $JOB_COMPLETION_INDEX: the same as --shard $JOB_COMPLETION_INDEX/N.")
        Integer shards;

        @Option(names = "--run-id", paramLabel = "ID",
                description = "The run's id (default: a new one from the time). Shards given the same id merge into one run on 'store import'.")
        String runId;

        @Option(names = "--timeout", paramLabel = "TIME", description = "Hard per-device time limit (e.g. 10m; overrides the file's defaults): a device not done by then fails, 'timed out after N s'.")
        String timeout;

        @Option(names = "--retries", paramLabel = "N", description = "Tries again for an unreachable device (overrides the file's defaults; default 1).")
        Integer retries;

        @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
                description = "auto (a live line on a terminal, nothing otherwise), json (one JSON line per event on stderr), none.")
        String progress;

        Clock clock = Clock.systemUTC();
        Map<String, String> env = System.getenv();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (parallel < 1 || parallel > 256) throw new UserException(io.portaudit.model.L10n.t("cmd.range", "--parallel", "1..256", parallel));
            if (!List.of("auto", "json", "none").contains(progress)) throw new UserException(io.portaudit.model.L10n.t("cmd.oneofvalues", "--progress", "auto, json, none", progress));
            if ((file == null) == (resume == null)) throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.fileorresume"));
            StoreLocation loc = store.location();
            if (loc == null) throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.needstore"));
            int[] sh = shard();
            String id;
            try (Store s = StoreOptions.open(loc, err, common.verbosity() < 0)) {
                FleetRuns runs = new FleetRuns(s);
                int skipped = 0;
                if (resume != null) {
                    if (sh != null || runId != null || timeout != null || retries != null) {
                        throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.resumeopts"));
                    }
                    FleetRuns.Run r = runs.require(resume);
                    id = r.id();
                    int n = runs.resume(id, clock.instant());
                    if (common.verbosity() >= 0) err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.fleet.resuming", id, n));
                } else {
                    FleetFile ff = readFleetFile(file, err, "audited");
                    skipped = (int) ff.problems().stream().filter(p -> !p.fatal()).count();
                    var defaults = ff.defaults();
                    try {
                        if (timeout != null) defaults = defaults.withTimeout(ScanPlan.positive(timeout, "--timeout"));
                    } catch (ScanPlan.InvalidScan e) {
                        throw new UserException(e.getMessage());
                    }
                    if (retries != null) {
                        if (retries < 0 || retries > 10) throw new UserException(io.portaudit.model.L10n.t("cmd.range", "--retries", "0..10", retries));
                        defaults = defaults.withRetries(retries);
                    }
                    List<FleetDevice> devices = ff.devices();
                    if (sh != null) devices = FleetRun.shard(devices, sh[0], sh[1]);
                    if (runId != null && !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                        throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.runid", runId));
                    }
                    id = runId != null ? runId : FleetRuns.newId(clock);
                    if (runs.run(id).isPresent()) throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.exists", id));
                    runs.create(id, file.toString(), sh == null ? null : sh[0] + "/" + sh[1], defaults, devices, clock.instant());
                    if (common.verbosity() >= 0) {
                        err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.fleet.starting", id, devices.size())
                                + (sh != null ? " " + io.portaudit.model.L10n.t("cmd.fleet.shardof", sh[0] + "/" + sh[1], ff.devices().size()) : "")
                                + (skipped > 0 ? io.portaudit.model.L10n.t(skipped == 1 ? "cmd.fleet.skipped1" : "cmd.fleet.skipped", skipped) : "")
                                + io.portaudit.model.L10n.t("cmd.fleet.atatime", Math.min(parallel, Math.max(1, devices.size()))));
                    }
                }
                int total = (int) runs.devices(id).stream().filter(e -> e.state().equals(FleetRuns.QUEUED)).count();
                Progress prog = new Progress(err, mode(), total, clock);
                FleetRun runner = new FleetRun(s, clock, parallel, worker(), prog);
                Thread hook = new Thread(() -> {
                    runner.stop();
                    prog.waitDone(Duration.ofSeconds(20));
                }, "fleet-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                // SIGINT/SIGTERM: stop, print the summary, exit 3 (not done) like any incomplete run. The hook is for the
                // other ways the JVM is ended (SIGHUP, or no signal handling): it waits until the summary and the run id are out
                StopSignals signals = StopSignals.install(() -> {
                    err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.fleet.stopping"));
                    err.flush();
                    runner.stop();
                });
                try {
                    try {
                        runner.run(id);
                    } finally {
                        prog.end();
                    }
                    List<FleetRuns.Entry> entries = runs.devices(id);
                    int code = summary(out, id, entries, runner.stopped());
                    if (skipped > 0) code = ExitCodes.INCOMPLETE;   // entries skipped: not every device of the file was audited (3 wins over 1)
                    out.println(id);
                    out.flush();
                    err.flush();
                    return code;
                } finally {
                    signals.close();
                    prog.markDone();
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException ignored) {
                        // shutting down: the hook is running
                    }
                }
            } catch (StoreException e) {
                throw new UserException(e.getMessage(), e.exitCode());
            }
        }

        private String mode() {
            if (progress.equals("auto")) return RemoteOptions.terminal() != null && common.verbosity() >= 0 ? "tty" : "none";
            return progress;
        }

        private String worker() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
            } catch (IOException e) {
                return "local:" + ProcessHandle.current().pid();
            }
        }

        /** {@code --shard I/N} (I from $JOB_COMPLETION_INDEX when omitted) or {@code --shards N}; null when not sharded. */
        int[] shard() {
            if (shard == null && shards == null) return null;
            if (shard != null && shards != null) throw new UserException(io.portaudit.model.L10n.t("cmd.notboth", "--shard I/N", "--shards N"));
            String spec = shard != null ? shard : "/" + shards;
            var m = java.util.regex.Pattern.compile("([0-9]{1,6})?/([0-9]{1,6})").matcher(spec.strip());
            if (!m.matches()) throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.shard", spec));
            int n = Integer.parseInt(m.group(2));
            String is = m.group(1);
            if (is == null) {
                is = env.get("JOB_COMPLETION_INDEX");
                if (is == null || !is.matches("[0-9]{1,6}")) {
                    throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.shardindex", n));
                }
            }
            int i = Integer.parseInt(is);
            if (n < 1 || i >= n) throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.shardrange", i + "/" + n, n - 1));
            return new int[] {i, n};
        }

        /** Prints counts and every failed device with its reason; returns the exit code. */
        private int summary(PrintWriter out, String id, List<FleetRuns.Entry> entries, boolean stopped) {
            int pass = 0, fail = 0, partial = 0, error = 0, open = 0;
            List<DeviceOutcome.Status> statuses = new ArrayList<>();
            for (FleetRuns.Entry e : entries) {
                if (e.status() == null) {
                    open++;
                    continue;
                }
                statuses.add(e.status());
                switch (e.status()) {
                    case PASS -> pass++;
                    case FAIL -> fail++;
                    case PARTIAL -> partial++;
                    case ERROR -> error++;
                }
            }
            out.println(io.portaudit.model.L10n.t("cmd.fleet.summary", id, entries.size(), pass, fail, partial, error) + (open > 0 ? io.portaudit.model.L10n.t("cmd.fleet.notdone", open) : ""));
            for (FleetRuns.Entry e : entries) {
                if (e.status() == DeviceOutcome.Status.PASS && e.reason() == null) continue;
                String what = e.status() == null ? io.portaudit.model.L10n.t("cmd.fleet.notdoneword") : Columns.result(e.status().label());
                out.println("  " + e.device() + "  " + what + (e.reason() != null ? ": " + io.portaudit.model.Text.terminal(io.portaudit.fleet.FleetReasons.shown(e.reason())) : ""));
            }
            if (stopped) out.println(io.portaudit.model.L10n.t("cmd.fleet.stopped", id));
            int code = DeviceOutcome.exitCode(statuses);
            return open > 0 ? ExitCodes.INCOMPLETE : code;
        }
    }

    /** Live progress: a line on a terminal, JSON lines for machines, or nothing. */
    static final class Progress implements FleetRun.Listener {
        private final PrintWriter err;
        private final String mode;
        private final int total;
        private final Clock clock;
        private final Instant start;
        private int done, failed, running;
        private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

        Progress(PrintWriter err, String mode, int total, Clock clock) {
            this.err = err;
            this.mode = mode;
            this.total = total;
            this.clock = clock;
            this.start = clock.instant();
        }

        @Override
        public synchronized void started(String device, int attempt) {
            running++;
            emit("started", device, null, null);
        }

        @Override
        public synchronized void retrying(String device, String reason) {
            running--;
            emit("retry", device, null, reason);
        }

        @Override
        public synchronized void finished(DeviceOutcome o) {
            running--;
            done++;
            if (o.status() != DeviceOutcome.Status.PASS) failed++;
            emit("done", o.name(), o.status().label(), o.reason());
        }

        private void emit(String event, String device, String status, String reason) {
            if (mode.equals("json")) {
                var n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
                n.put("event", event);
                n.put("device", device);
                if (status != null) n.put("status", status);
                if (reason != null) n.put("reason", reason);
                n.put("done", done);
                n.put("failed", failed);
                n.put("running", running);
                n.put("total", total);
                err.println(n.toString());
                err.flush();
            } else if (mode.equals("tty")) {
                String eta = "";
                if (done > 0 && done < total) {
                    long ms = Duration.between(start, clock.instant()).toMillis() * (total - done) / done;
                    eta = io.portaudit.model.L10n.t("cmd.fleet.eta", human(Duration.ofMillis(ms)));
                }
                err.print("\r\033[K" + io.portaudit.model.L10n.t("cmd.fleet.progress", done + "/" + total, failed, running) + eta);
                err.flush();
            }
        }

        synchronized void end() {
            if (mode.equals("tty")) {
                err.print("\r\033[K");
                err.flush();
            }
        }

        void markDone() {
            finished.countDown();
        }

        void waitDone(Duration d) {
            try {
                finished.await(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static String human(Duration d) {
            long s = d.toSeconds();
            return s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
        }
    }

    /** {@code portaudit fleet report}. */
    @Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            header = "The merged report of a fleet run: per device the gate and counts, per port which devices expose it, outliers, failures.",
            description = {
                "",
                "Formats: text (default), json, markdown, html, junit (one test case per device, so a line's CI shows the batch). "
                        + "RUN is a run id or 'latest'; several RUNs (e.g. shards run without a shared --run-id) are merged.",
                ""
            })
    static final class Report implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Mixin
        OutputOptions output;

        @Mixin
        StoreOptions store;

        @Parameters(index = "0", arity = "1..*", paramLabel = "RUN", description = "The run id(s), or 'latest'.")
        List<String> runIds = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            for (OutputOptions.Target t : output.targets()) {
                if (!FleetReport.FORMATS.contains(t.format())) {
                    throw new UserException(io.portaudit.model.L10n.t("cli.format", t.format(), String.join(", ", FleetReport.FORMATS)));
                }
            }
            FleetReport report;
            try (Store s = store.openExisting(err)) {
                report = FleetReport.of(s, runIds);
            } catch (StoreException e) {
                throw new UserException(e.getMessage(), e.exitCode());
            }
            output.write(spec.commandLine().getOut(), err, common.verbosity() < 0, "fleet-report", FleetReport.FORMATS,
                    (format, w) -> report.write(format, w));
            return report.exitCode();
        }
    }

    /**
     * Reads a fleet file for {@code fleet run} and {@code fleet submit}: its problems printed (file:line: message), an
     * unreadable or unusable file a one-line input error saying nothing was {@code done}.
     */
    static FleetFile readFleetFile(Path file, PrintWriter err, String done) {
        FleetFile ff;
        try {
            ff = FleetFile.read(file);
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": " + io.portaudit.model.L10n.t("cmd.nosuchfile"));
        } catch (IOException e) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.cannotread", file, e.getMessage()));
        }
        for (FleetFile.Problem p : ff.problems()) err.println("portaudit: " + p.format());
        if (!ff.usable()) throw new UserException(io.portaudit.model.L10n.t("cmd.fleet.notusable." + done, file));
        return ff;
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
