package io.portaudit.audit;

import io.portaudit.collect.SshOptions;
import io.portaudit.collect.SshTarget;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One audit to run ({@link AuditRun#run}): where the device's facts come from, an optional scan of it, the policy
 * and threshold, the clock and who hears of progress. The CLI builds one from its options; a store, a fleet
 * worker or a web server build theirs the same way.
 *
 * @param source   this machine, an SSH target, a bundle, pasted files, or a previous result
 * @param scan     the device to scan from here, or null for no scan
 * @param policy   the policy (a file's or a profile's), or null when none was given
 * @param failOn   the fail threshold overriding the policy's, or null
 * @param names    the port → service-name table; null = the built-in and system ones
 * @param clock    the clock (exception expiry); null = the system's
 * @param progress told what the run is doing; null = nobody
 * @param acceptUnreadable {@code --accept-unreadable}: lines that could not be read do not make the result incomplete
 *                 (they are named in the report)
 */
public record AuditRequest(Source source, Scan scan, Policy policy, Severity failOn, ServiceNames names, Clock clock,
                           AuditProgress progress, boolean acceptUnreadable) {
    public AuditRequest {
        if (source == null) throw new IllegalArgumentException("an audit needs a source");
        if (names == null) names = ServiceNames.defaults();
        if (clock == null) clock = Clock.systemUTC();
        if (progress == null) progress = AuditProgress.NONE;
    }

    public AuditRequest(Source source, Scan scan, Policy policy, Severity failOn, ServiceNames names, Clock clock,
                        AuditProgress progress) {
        this(source, scan, policy, failOn, names, clock, progress, false);
    }

    public static AuditRequest of(Source source) {
        return new AuditRequest(source, null, null, null, null, null, null, false);
    }

    public AuditRequest withScan(Scan s) {
        return new AuditRequest(source, s, policy, failOn, names, clock, progress, acceptUnreadable);
    }

    public AuditRequest withPolicy(Policy p, Severity threshold) {
        return new AuditRequest(source, scan, p, threshold, names, clock, progress, acceptUnreadable);
    }

    /** Where the facts come from. */
    public sealed interface Source permits ThisMachine, Ssh, BundleFile, Pasted, Previous, ScanOnly {}

    /**
     * This machine's own tables (/proc, the firewall tools present); no self-scan. With {@code loopbackProbe} its own
     * listeners' services are identified over loopback ({@link LoopbackProbe}: 127.0.0.1 and ::1 only, bounded in
     * time); {@code audit --no-probe} turns that off.
     */
    public record ThisMachine(boolean loopbackProbe) implements Source {
        /** With the loopback probe. */
        public ThisMachine() {
            this(true);
        }
    }

    /** A device over SSH (host key checked strictly); the device may also be scanned ({@link Scan}). */
    public record Ssh(SshTarget target, SshOptions options) implements Source {}

    /** A bundle written on the device by the collect script. */
    public record BundleFile(Path file) implements Source {}

    /** Outputs pasted from a device, each kind sniffed or forced; a previous result among them is read back alone. */
    public record Pasted(List<InputSniffer.Labeled> texts) implements Source {
        public Pasted {
            texts = List.copyOf(texts);
        }
    }

    /**
     * Nothing collected from the device: the audit is its {@link Scan} alone (a fleet's {@code scan-only: true} device).
     * Its firewall and listener views are missing, so the checks that need them are not run, never passed.
     */
    public record ScanOnly() implements Source {}

    /** A previous result ({@code audit --json}) read back as it was recorded: no scan, policy or threshold apply. */
    public record Previous(String name, String json) implements Source {}

    /**
     * The audit's scan of the device.
     *
     * @param target the device's address or name (exactly one address)
     * @param ports  ports in nmap syntax, or null for the audit's choice: the 1,000 most common TCP ports plus every
     *               port the other views name, UDP only those
     * @param timing the timing template 0..5 ({@code -T}), or null for the scanner's device-safe default
     * @param hostTimeout give up on the device after this long (the scan is then partial), or null for no limit
     */
    public record Scan(String target, String ports, Integer timing, java.time.Duration hostTimeout) {
        public Scan(String target, String ports) {
            this(target, ports, null, null);
        }
    }
}
