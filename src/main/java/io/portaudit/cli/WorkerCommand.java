package io.portaudit.cli;

import io.portaudit.fleet.DeviceAudit;
import io.portaudit.fleet.FleetQueue;
import io.portaudit.fleet.FleetWorker;
import io.portaudit.scan.ScanPlan;
import io.portaudit.store.StoreException;
import io.portaudit.store.StoreLocation;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit worker}: audits the devices of distributed fleet runs ({@code fleet submit}) from a PostgreSQL store. */
@Command(name = "worker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Audit the devices of distributed fleet runs, claimed from a PostgreSQL store's job table.",
        description = {
            "",
            "Runs db-scheduler on the store: claims due device jobs (SELECT ... FOR UPDATE SKIP LOCKED), audits each device as "
                    + "'fleet run' would, and records its result in the transaction that completes the job. While a device is "
                    + "audited its job's heartbeat is written every --heartbeat; a job whose worker stopped (killed, powered off) "
                    + "is revived after --missed-heartbeats missed heartbeats and audited by another worker. A device's result is "
                    + "recorded once per run: a worker whose job was taken over records nothing.",
            "",
            "Runs until stopped (SIGTERM/Ctrl-C: running jobs get 10 s to end, else other workers redo them later; exit code 0), or "
                    + "with --until-idle until no job of any run is left (stopped before that: exit code 3). Needs --store "
                    + "jdbc:postgresql://host[:port]/db.",
            ""
        })
public final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    StoreOptions store;

    @Option(names = "--threads", paramLabel = "N", description = "Devices audited at a time (default: ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--until-idle", description = "Exit when no job is left (queued, or held by any worker): for scripts and tests.")
    boolean untilIdle;

    @Option(names = "--name", paramLabel = "NAME", description = "This worker's name in the job table and the results (default: HOST:PID).")
    String name;

    @Option(names = "--poll", paramLabel = "TIME", description = "How often an idle worker looks for jobs (default: 2s).")
    String poll;

    @Option(names = "--heartbeat", paramLabel = "TIME", description = "How often a running job's heartbeat is written (default: 10s).")
    String heartbeat;

    @Option(names = "--missed-heartbeats", paramLabel = "N",
            description = "Missed heartbeats after which another worker redoes the job (default: 6, at least 4): with the defaults a "
                    + "dead worker's devices are redone after about a minute.")
    int missed = FleetWorker.Options.DEFAULT_MISSED;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (threads < 1 || threads > 256) throw new UserException(io.portaudit.model.L10n.t("cmd.range", "--threads", "1..256", threads));
        if (missed < 4) throw new UserException(io.portaudit.model.L10n.t("cmd.atleast", "--missed-heartbeats", 4) + " (" + missed + ")");
        Duration pollEvery = poll == null ? FleetWorker.Options.DEFAULT_POLL : duration("--poll", poll);
        Duration beat = heartbeat == null ? FleetWorker.Options.DEFAULT_HEARTBEAT : duration("--heartbeat", heartbeat);
        if (pollEvery.toMillis() < 50) throw new UserException(io.portaudit.model.L10n.t("cmd.atleast", "--poll", "50ms"));
        if (beat.toMillis() < 100) throw new UserException(io.portaudit.model.L10n.t("cmd.atleast", "--heartbeat", "100ms"));
        StoreLocation loc = store.location();
        FleetWorker.Options o = new FleetWorker.Options(name != null ? name : FleetWorker.defaultName(), threads, pollEvery, beat, missed, untilIdle);
        FleetWorker w;
        try {
            FleetQueue.requirePostgres(loc, "worker");
            w = new FleetWorker(loc, o, DeviceAudit::run, clock, err);
        } catch (StoreException e) {
            throw new UserException(e.getMessage(), e.exitCode());
        }
        Thread hook = new Thread(w::close, "portaudit-worker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        // SIGTERM/Ctrl-C: stop as the hook would, but let run() end and this method choose the exit code
        StopSignals signals = StopSignals.install(w::close);
        try {
            w.run();
        } catch (StoreException e) {
            throw new UserException(e.getMessage(), e.exitCode());
        } finally {
            signals.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        // a service stopped by SIGTERM/Ctrl-C ends normally (0; what it did not finish is redone by the others). With
        // --until-idle the caller waits for the queue to drain: stopped before that, it did not audit everything (3)
        if (signals.fired() && untilIdle) {
            err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.worker.stopped", signals.signal()));
            return ExitCodes.INCOMPLETE;
        }
        return ExitCodes.OK;
    }

    static Duration duration(String option, String text) {
        try {
            return ScanPlan.positive(text, option);
        } catch (ScanPlan.InvalidScan e) {
            throw new UserException(e.getMessage());
        }
    }
}
