package io.portaudit.fleet;

import io.portaudit.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a fleet run's queued devices on this machine: at most {@code parallel} devices at a time (each one's own scan
 * keeps its device-safe defaults), retries for devices that could not be reached ({@link FleetDefaults#retries()}),
 * every outcome recorded in the run table. {@link #stop()} (Ctrl-C) starts no further device and interrupts those
 * running; finished devices are kept, and a run resumed with {@link FleetRuns#resume} does the rest.
 */
public final class FleetRun {
    /** Pause before an unreachable device is tried again. */
    static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    /** Told what the run does, from the worker threads (implementations synchronize themselves). */
    public interface Listener {
        default void started(String device, int attempt) {}

        default void retrying(String device, String reason) {}

        default void finished(DeviceOutcome outcome) {}

        Listener NONE = new Listener() {};
    }

    private final Store store;
    private final FleetRuns runs;
    private final Clock clock;
    private final int parallel;
    private final String worker;
    private final Listener listener;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ExecutorService pool;

    public FleetRun(Store store, Clock clock, int parallel, String worker, Listener listener) {
        if (parallel < 1) throw new IllegalArgumentException("parallel must be at least 1");
        this.store = store;
        this.runs = new FleetRuns(store);
        this.clock = clock;
        this.parallel = parallel;
        this.worker = worker;
        this.listener = listener == null ? Listener.NONE : listener;
    }

    /** The default parallelism: safe for a 2-core PC and for the devices (each device's scan runs at its own pace). */
    public static int defaultParallel() {
        return Math.min(4, Runtime.getRuntime().availableProcessors() * 2);
    }

    /**
     * Audits every queued device of {@code runId}; returns the outcomes of the devices this call ran (final ones,
     * after retries), in fleet-file order. The run is marked done, or interrupted when {@link #stop()} was called.
     */
    public List<DeviceOutcome> run(String runId) {
        FleetRuns.Run run = runs.require(runId);
        FleetDefaults defaults = run.defaults();
        List<FleetRuns.Entry> todo = runs.devices(runId).stream().filter(e -> e.state().equals(FleetRuns.QUEUED)).toList();
        // the pool's threads write in the language of the run's caller (--lang / LANG), not a new thread's default
        io.portaudit.model.L10n.Lang lang = io.portaudit.model.L10n.lang();
        ExecutorService p = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, todo.size())), r -> {
            Thread t = new Thread(() -> {
                io.portaudit.model.L10n.set(lang);
                r.run();
            }, "fleet-device");
            t.setDaemon(true);
            return t;
        });
        pool = p;
        List<Future<DeviceOutcome>> futures = new ArrayList<>();
        for (FleetRuns.Entry e : todo) futures.add(p.submit(() -> device(runId, e.spec(), defaults)));
        p.shutdown();
        List<DeviceOutcome> out = new ArrayList<>();
        for (Future<DeviceOutcome> f : futures) {
            try {
                DeviceOutcome o = f.get();
                if (o != null) out.add(o);
            } catch (java.util.concurrent.CancellationException e) {
                // stopped before it started
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
            } catch (java.util.concurrent.ExecutionException e) {
                // device() catches everything; nothing to add
            }
        }
        try {
            p.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runs.finish(runId, stopped.get() ? FleetRuns.RUN_INTERRUPTED : FleetRuns.RUN_DONE, clock.instant());
        return out;
    }

    /** Starts no further device and interrupts the running ones (their rows stay 'running': a resume redoes them). */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) return;
        ExecutorService p = pool;
        // the devices not started: their futures are cancelled, else run() would wait on them for ever
        if (p != null) for (Runnable r : p.shutdownNow()) if (r instanceof Future<?> f) f.cancel(false);
    }

    public boolean stopped() {
        return stopped.get();
    }

    /** One device, with its retries; null when stopped before it could finish. */
    private DeviceOutcome device(String runId, FleetDevice d, FleetDefaults defaults) {
        for (int attempt = 1; ; attempt++) {
            if (stopped.get()) return null;
            if (!runs.claim(runId, d.name(), worker, clock.instant())) return null;   // done elsewhere meanwhile
            listener.started(d.name(), attempt);
            DeviceOutcome o;
            try {
                o = DeviceAudit.run(d, defaults, store, runId, clock);
            } catch (FleetRuns.AlreadyRecorded e) {
                return null;
            } catch (RuntimeException e) {
                o = DeviceOutcome.error(d.name(), "internal error: " + DeviceAudit.oneLine(String.valueOf(e)), false);
            }
            if (stopped.get() && o.status() == DeviceOutcome.Status.ERROR) return null;   // cut short by the stop: redone on resume
            if (o.status() == DeviceOutcome.Status.ERROR && o.retryable() && attempt <= defaults.retries()) {
                runs.requeue(runId, d.name(), o.reason(), clock.instant());
                listener.retrying(d.name(), o.reason());
                try {
                    Thread.sleep(RETRY_PAUSE.toMillis());
                } catch (InterruptedException e) {
                    return null;
                }
                continue;
            }
            if (o.status() == DeviceOutcome.Status.ERROR) runs.failed(runId, o, clock.instant());
            listener.finished(o);
            return o;
        }
    }

    /**
     * Which shard (0..n-1) a device belongs to: a stable hash of its name (SHA-256, first 8 bytes), so that every run
     * of the same fleet file on any machine splits it the same way.
     */
    public static int shard(String name, int n) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
            return (int) Math.floorMod(v, (long) n);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The devices of shard {@code i} of {@code n}. */
    public static List<FleetDevice> shard(List<FleetDevice> devices, int i, int n) {
        return devices.stream().filter(d -> shard(d.name(), n) == i).toList();
    }
}
