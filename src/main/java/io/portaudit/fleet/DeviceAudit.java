package io.portaudit.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.audit.AuditJson;
import io.portaudit.audit.AuditRequest;
import io.portaudit.audit.AuditResult;
import io.portaudit.audit.AuditRun;
import io.portaudit.audit.Gate;
import io.portaudit.audit.Policy;
import io.portaudit.audit.PolicyLoader;
import io.portaudit.collect.SshOptions;
import io.portaudit.collect.SshTarget;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.store.Baseline;
import io.portaudit.store.Coverage;
import io.portaudit.store.DeviceIdentity;
import io.portaudit.store.Diff;
import io.portaudit.store.Facts;
import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fleet device audited: its entry and the file's defaults become an {@link AuditRequest} (SSH with strict host keys
 * and no prompts, a bundle, or a scan alone; the scan keeps the scanner's device-safe defaults), {@link AuditRun} runs it,
 * the result is gated (policy or profile, then the model's golden baseline when the entry names one) and recorded in the
 * store under the device's {@code name} — unless the hardware identity it collected says it is a device the store
 * already knows (then under that device) — and, with a run id, the run's {@code fleet_device} row is marked done in the
 * same transaction ({@link FleetRuns#done}).
 *
 * <p>Every step is bounded by the defaults' per-device {@code timeout}: SSH connect and command limits and the scan's
 * host timeout are cut to the time left. Nothing here throws for a device that cannot be audited: the outcome is
 * {@link DeviceOutcome.Status#ERROR} with the reason (unreachable, host key changed, authentication refused, a missing
 * bundle, no answer on any port, a store that refused the record). Failed outcomes are not written to the run table
 * here: the caller decides about retries ({@link FleetRuns#requeue}) and then records the failure ({@link FleetRuns#failed}).
 * Thread-safe for one shared {@link Store}: store access is synchronized on it.
 */
public final class DeviceAudit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeviceAudit() {}

    /**
     * Audits one device and records its result.
     *
     * @param store where to record (null: nothing is recorded, the outcome has no audit id)
     * @param runId the fleet run whose {@code fleet_device} row is marked done with the audit (null: none)
     * @throws FleetRuns.AlreadyRecorded the device was already done in this run; nothing was stored again
     */
    public static DeviceOutcome run(FleetDevice device, FleetDefaults defaults, Store store, String runId, Clock clock) {
        return run(device, defaults, store, runId, clock, null);
    }

    /**
     * {@link #run(FleetDevice, FleetDefaults, Store, String, Clock)}, with {@code also} run in the transaction that records
     * the audit and marks the device done (a distributed worker completes the device's job there); throwing from it rolls
     * all of that back and propagates.
     */
    public static DeviceOutcome run(FleetDevice device, FleetDefaults defaults, Store store, String runId, Clock clock, Store.InTransaction also) {
        Duration limit = defaults.timeout();
        String name = device.name();
        // 0: auditing, 1: recording its result, 2: abandoned (time limit or stop): an abandoned audit records nothing
        AtomicInteger phase = new AtomicInteger();
        Store.InTransaction guard = (c, rec) -> {
            // (a store retrying a busy transaction calls this again: still ours)
            if (phase.compareAndExchange(0, 1) == 2) throw new FleetRuns.AlreadyRecorded(runId, name);
            if (also != null) also.run(c, rec);
        };
        // the audit's own thread writes in the caller's language (a new thread's would be the default)
        io.portaudit.model.L10n.Lang lang = io.portaudit.model.L10n.lang();
        FutureTask<DeviceOutcome> task = new FutureTask<>(() -> io.portaudit.model.L10n.with(lang, () -> audit(device, defaults, store, runId, clock, guard)));
        Thread t = new Thread(task, "fleet-audit " + name);
        t.setDaemon(true);
        t.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (phase.compareAndSet(0, 2)) {
                t.interrupt();   // the blocking parts that answer an interrupt end now; the rest ends at its own bounds, recording nothing
                return DeviceOutcome.error(name, timedOut(limit), false);
            }
            return settled(task);   // it is recording its result right now: that is quick, and wins
        } catch (InterruptedException e) {
            // the caller was stopped (Ctrl-C): abandon the audit
            if (phase.compareAndSet(0, 2)) {
                t.interrupt();
                Thread.currentThread().interrupt();
                return DeviceOutcome.error(name, "stopped before the audit ended", false);
            }
            DeviceOutcome o = settled(task);
            Thread.currentThread().interrupt();
            return o;
        } catch (ExecutionException e) {
            return failure(e);
        }
    }

    /** The reason given for a device stopped at its time limit. */
    static String timedOut(Duration limit) {
        return "timed out after " + Math.max(1, (limit.toMillis() + 999) / 1000) + " s";
    }

    /** The result of an audit that is recording it (not abandoned): waited for, whatever interrupts come. */
    private static DeviceOutcome settled(FutureTask<DeviceOutcome> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException ie) {
                    interrupted = true;
                } catch (ExecutionException ee) {
                    return failure(ee);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static DeviceOutcome failure(ExecutionException e) {
        // audit() catches what a device can cause; what is left (AlreadyRecorded, a bug) goes to the caller as it was
        Throwable c = e.getCause();
        if (c instanceof RuntimeException r) throw r;
        if (c instanceof Error err) throw err;
        throw new IllegalStateException(c);
    }

    private static DeviceOutcome audit(FleetDevice device, FleetDefaults defaults, Store store, String runId, Clock clock, Store.InTransaction also) {
        Instant deadline = clock.instant().plus(defaults.timeout());
        String name = device.name();
        AuditResult result;
        try {
            AuditRequest req = request(device, defaults, clock, deadline);
            result = AuditRun.run(req);
        } catch (AuditRun.AuditException e) {
            // a host-key refusal (its message in either language: the thread's may be the worker's) is not tried again
            boolean hostKey = e.getMessage() != null && (e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("host key")
                    || e.getMessage().contains(io.portaudit.model.L10n.t(io.portaudit.model.L10n.Lang.JA, "ssh.kh.word")));
            return DeviceOutcome.error(name, oneLine(e.getMessage()), e.kind() == AuditRun.AuditException.Kind.UNREACHABLE && !hostKey);
        } catch (Problem e) {
            return DeviceOutcome.error(name, e.getMessage(), false);
        } catch (RuntimeException e) {
            return DeviceOutcome.error(name, "internal error: " + oneLine(String.valueOf(e)), false);
        }
        if (device.scanOnly() && noAnswer(result)) {
            return DeviceOutcome.error(name, "no answer on any scanned port from " + device.address()
                    + " (down, a wrong address, or it drops everything): nothing can be said about its ports", true);
        }
        List<String> notes = new ArrayList<>();
        try {
            if (device.baseline() != null && store != null) {
                synchronized (store) {
                    result = againstBaseline(result, device.baseline(), store, clock);
                }
            }
        } catch (StoreException | IOException e) {
            return DeviceOutcome.error(name, "baseline " + device.baseline() + ": " + oneLine(e.getMessage()), false);
        }
        DeviceOutcome.Status status = switch (result.exitCode()) {
            case 0 -> DeviceOutcome.Status.PASS;
            case 1 -> DeviceOutcome.Status.FAIL;
            default -> DeviceOutcome.Status.PARTIAL;
        };
        String reason = reason(result, status);
        if (store == null) return new DeviceOutcome(name, status, reason, null);
        String json = AuditJson.write(result);
        // a scan alone carries no identity (its host is only the address scanned)
        DeviceIdentity collected = device.scanOnly() ? DeviceIdentity.named(null) : DeviceIdentity.of(result.snapshot());
        try {
            synchronized (store) {
                DeviceIdentity id = identity(name, collected, store, notes);
                if (!notes.isEmpty()) reason = reason == null ? String.join("; ", notes) : reason + "; " + String.join("; ", notes);
                DeviceOutcome pending = new DeviceOutcome(name, status, reason, null);
                Instant now = clock.instant();
                Store.Recorded r = store.record(json, Coverage.of(result), id, now, io.portaudit.store.Captures.of(result), (c, rec) -> {
                    also.run(c, rec);   // first: refuses an abandoned audit
                    if (runId != null) FleetRuns.done(c, runId, pending, rec.auditId(), now);
                });
                return new DeviceOutcome(name, status, reason, r.auditId());
            }
        } catch (StoreException e) {
            return DeviceOutcome.error(name, "audited (" + status.label() + ") but not recorded: " + oneLine(e.getMessage()), false);
        }
    }

    /** The audit request for one device (exposed for tests and for workers that want to look before running). */
    static AuditRequest request(FleetDevice d, FleetDefaults defaults, Clock clock, Instant deadline) throws Problem {
        AuditRequest.Source source;
        if (d.ssh() != null) {
            SshTarget t = SshTarget.parse(d.ssh(), "root");
            source = new AuditRequest.Ssh(t, sshOptions(d, defaults, clock, deadline));
        } else if (d.bundle() != null) {
            source = new AuditRequest.BundleFile(d.bundle());
        } else {
            source = new AuditRequest.ScanOnly();
        }
        String target = d.scanTarget();
        String ports = d.ports() != null ? d.ports() : defaults.ports();
        AuditRequest.Scan scan = target == null ? null
                : new AuditRequest.Scan(target, ports, defaults.timing(), left(clock, deadline));
        return new AuditRequest(source, scan, policy(d, defaults), defaults.failOn(), null, clock, null, false);
    }

    private static SshOptions sshOptions(FleetDevice d, FleetDefaults defaults, Clock clock, Instant deadline) throws Problem {
        List<Path> ids = new ArrayList<>();
        Path key = d.key() != null ? d.key() : defaults.key();
        if (key != null) {
            if (!Files.isReadable(key)) throw new Problem("key " + key + ": cannot read the key file");
            ids.add(key);
        } else {
            Path home = Path.of(System.getProperty("user.home"));
            for (String n : List.of("id_ecdsa", "id_ed25519", "id_rsa")) {
                Path p = home.resolve(".ssh").resolve(n);
                if (Files.isReadable(p)) ids.add(p);
            }
        }
        Path kh = d.knownHosts() != null ? d.knownHosts() : defaults.knownHosts() != null ? defaults.knownHosts() : SshOptions.defaultKnownHosts();
        String sock = System.getenv("SSH_AUTH_SOCK");
        Path agent = key == null && sock != null && !sock.isBlank() && Files.exists(Path.of(sock)) ? Path.of(sock) : null;
        Duration left = left(clock, deadline);
        // never a prompt: a fleet runs unattended; a new or changed host key is refused (strict known_hosts)
        return new SshOptions(ids, agent, null, null, kh, false, min(defaults.connectTimeout(), left), min(defaults.commandTimeout(), left),
                SshOptions.DEFAULT_MAX_OUTPUT, clock);
    }

    private static Policy policy(FleetDevice d, FleetDefaults defaults) throws Problem {
        try {
            if (d.policy() != null) return PolicyLoader.load(d.policy());
            if (d.profile() != null) return PolicyLoader.profile(d.profile());
            if (defaults.policy() != null) return PolicyLoader.load(defaults.policy());
            if (defaults.profile() != null) return PolicyLoader.profile(defaults.profile());
            return null;
        } catch (PolicyLoader.PolicyException e) {
            throw new Problem(e.getMessage());
        }
    }

    /**
     * Under which identity the audit is recorded: the collected hardware's device when the store knows it (keeping its
     * name; given the fleet name when it has none and the name is free), else the fleet name (with the hardware when
     * collected). A name already held by a device with other hardware is not taken: the audit is recorded under its
     * hardware and the note says so.
     */
    static DeviceIdentity identity(String name, DeviceIdentity collected, Store store, List<String> notes) {
        Optional<Store.Device> owner = store.deviceNamed(name);
        if (collected.hardware()) {
            Optional<Store.Device> known = store.knownByHardware(collected);
            if (known.isPresent()) {
                Store.Device k = known.get();
                if (name.equals(k.name())) return collected.withName(name);
                if (k.name() == null && owner.isEmpty()) return collected.withName(name);
                notes.add("recorded under the known device " + k.label() + " (its hardware: " + collected.key() + ")");
                return collected;
            }
            if (owner.isPresent() && (owner.get().serial() != null || owner.get().machineId() != null || owner.get().mac() != null)) {
                notes.add("the name " + name + " belongs to another device (" + owner.get().key() + "); recorded as " + collected.key());
                return collected;
            }
        }
        return collected.withName(name);
    }

    /**
     * A scan that got no answer at all: TCP ports were probed, and every probed port is filtered (or open|filtered)
     * with nothing else seen. A UDP-only scan proves nothing either way (silence is what open UDP ports give too).
     */
    static boolean noAnswer(AuditResult r) {
        if (r.scan() == null) return false;
        boolean tcp = false;
        for (PortResult p : r.scan().results()) {
            tcp |= p.protocol() == io.portaudit.model.Protocol.TCP;
            if (p.state() != PortState.FILTERED && p.state() != PortState.OPEN_FILTERED) return false;
        }
        for (var h : r.scan().hidden()) {
            tcp |= h.protocol() == io.portaudit.model.Protocol.TCP && h.count() > 0;
            if (h.state() != PortState.FILTERED && h.state() != PortState.OPEN_FILTERED && h.count() > 0) return false;
        }
        return tcp;
    }

    private static AuditResult againstBaseline(AuditResult result, String model, Store s, Clock clock) throws IOException {
        long golden = s.baseline(model);
        Facts mine = Facts.of(JSON.readTree(AuditJson.write(result)), Coverage.of(result));
        Diff diff = Diff.of("audit " + golden, s.facts(golden), "this audit", mine);
        // the deviations' texts language-neutral like the audit's (as audit --baseline does): the stored result keeps its
        // texts, so a fleet audit's baseline-deviation findings read in either language
        return io.portaudit.audit.Localized.map(result,
                r -> Baseline.apply(r, Baseline.deviations(model, String.valueOf(golden), diff), LocalDate.now(clock)));
    }

    /** One line: why a device failed the gate or is incomplete; null when it passed. */
    static String reason(AuditResult r, DeviceOutcome.Status status) {
        if (status == DeviceOutcome.Status.PASS) return null;
        List<String> parts = new ArrayList<>();
        if (r.partial()) {
            List<String> why = new ArrayList<>(r.snapshot().notes());
            if (r.scan() != null && r.scan().partial()) why.add("the scan did not finish");
            parts.add("incomplete: " + (why.isEmpty() ? "collection or scan partial" : oneLine(String.join("; ", why))));
        } else if (r.unreadable()) {
            parts.add("incomplete: input lines could not be read (unparsed-input)");
        }
        TreeSet<String> failing = new TreeSet<>();
        for (Gate.Gated g : r.outcome().atoms()) if (g.status() == Gate.Status.FAILS) failing.add(g.finding().id());
        if (!failing.isEmpty()) parts.add(r.count(Gate.Status.FAILS) + " finding(s) fail the gate: " + String.join(", ", failing));
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static Duration left(Clock clock, Instant deadline) {
        Duration d = Duration.between(clock.instant(), deadline);
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String oneLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String l = (nl < 0 ? s : s.substring(0, nl)).strip();
        return l.length() > 400 ? l.substring(0, 400) + "..." : l;
    }

    /** A device entry that cannot be audited as given (a key file that cannot be read, a bad policy). */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message);
        }
    }
}
