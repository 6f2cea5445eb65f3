package io.portaudit.cli;

import io.portaudit.audit.AuditRequest;
import io.portaudit.audit.AuditRun;
import io.portaudit.collect.SshOptions;
import io.portaudit.collect.SshTarget;
import io.portaudit.model.DeviceSnapshot;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Where the device's facts come from when it is not this machine: {@code --ssh} or {@code --bundle}.
 * A mixin: {@code @Mixin RemoteOptions remote;} then {@link #collect(PrintWriter)}.
 */
public class RemoteOptions {
    @Option(names = "--ssh", paramLabel = "[USER@]HOST[:PORT]",
            description = "Collect from a device over SSH (IPv6: [ADDR]:PORT; user default: root). The host key is checked "
                    + "strictly against --known-hosts. Also scans HOST from here unless --no-scan.")
    String ssh;

    @Option(names = {"-i", "--identity"}, paramLabel = "KEY",
            description = "Private key file for SSH (repeatable). Default: ~/.ssh/id_ecdsa, id_ed25519, id_rsa when present, "
                    + "plus the ssh-agent at SSH_AUTH_SOCK; a password or a key's passphrase is asked only on a terminal.")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file for host-key checking (default: ~/.ssh/known_hosts). A file that does not exist is an error (exit 2) unless --accept-new-host-key, which creates it.")
    Path knownHosts;

    @Option(names = "--accept-new-host-key",
            description = "Record the host key of a device not yet in the known_hosts file (check its fingerprint first). "
                    + "A changed key is always refused.")
    boolean acceptNewHostKey;

    @Option(names = "--bundle", paramLabel = "FILE",
            description = "Audit a bundle written on the device by the script of 'portaudit collect-script'.")
    Path bundle;

    @Option(names = "--no-scan", description = "With --ssh: do not scan the device from here.")
    boolean noScan;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "Bound on connecting and logging in over SSH (default: ${DEFAULT-VALUE}).")
    double connectTimeout = 15;

    @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Bound on each command on the device (default: ${DEFAULT-VALUE}); a command cut short makes "
                    + "the result partial (exit 3).")
    double commandTimeout = 30;

    /** Environment and console, replaceable in tests. */
    Map<String, String> env = System.getenv();
    Supplier<Console> console = RemoteOptions::terminal;

    /**
     * The console only when it is an interactive terminal. From JDK 22 {@code System.console()} may
     * exist with input or output redirected; {@code Console.isTerminal()} (22+) tells, read reflectively
     * so this builds for 21.
     */
    static Console terminal() {
        Console c = System.console();
        if (c == null) return null;
        try {
            Object t = Console.class.getMethod("isTerminal").invoke(c);
            return Boolean.TRUE.equals(t) ? c : null;
        } catch (ReflectiveOperationException e) {
            return c; // JDK 21: System.console() is null unless both ends are a terminal
        }
    }

    /** True when the device's facts come from --ssh or --bundle rather than this machine. */
    public boolean isRemote() {
        return ssh != null || bundle != null;
    }

    /** The host to scan from the PC side: the --ssh host unless --no-scan. */
    public Optional<String> scanTarget() {
        return ssh == null || noScan ? Optional.empty() : Optional.of(target().host());
    }

    /**
     * Where --ssh or --bundle says the device's facts come from; empty when neither was given (audit this machine).
     * Bad combinations are a {@link UserException} (exit 2).
     */
    public Optional<AuditRequest.Source> source() {
        if (ssh != null && bundle != null) throw new UserException(io.portaudit.model.L10n.t("cmd.remote.sshbundle"));
        if (ssh == null && (noScan || acceptNewHostKey || knownHosts != null || !identities.isEmpty())) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.remote.needssh"));
        }
        if (bundle != null) return Optional.of(new AuditRequest.BundleFile(bundle));
        if (ssh != null) return Optional.of(new AuditRequest.Ssh(target(), sshOptions()));
        return Optional.empty();
    }

    /**
     * Collects the snapshot from --ssh or --bundle ({@link AuditRun#collect}); empty when neither was given. Errors
     * become a {@link UserException}: usage/input problems (bad bundle) exit 2, a device that cannot be reached or
     * whose host key is refused exits 3. A partial snapshot is returned (and said on {@code err}).
     */
    public Optional<DeviceSnapshot> collect(PrintWriter err) {
        Optional<AuditRequest.Source> source = source();
        if (source.isEmpty()) return Optional.empty();
        try {
            return Optional.of(AuditRun.collect(source.get(), new io.portaudit.audit.AuditProgress() {
                @Override
                public void collected(DeviceSnapshot snapshot) {
                    reportPartial(snapshot, err);
                }
            }));
        } catch (AuditRun.AuditException e) {
            throw new UserException(e.getMessage(),
                    e.kind() == AuditRun.AuditException.Kind.UNREACHABLE ? ExitCodes.INCOMPLETE : ExitCodes.USAGE);
        }
    }

    /** Says on {@code err} that a collection is partial (the run then exits 3). */
    static void reportPartial(DeviceSnapshot snap, PrintWriter err) {
        if (!snap.partial()) return;
        err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.remote.partial", snap.source()));
        snap.notes().forEach(n -> err.println("  " + n));
        err.flush();
    }

    SshTarget target() {
        try {
            return SshTarget.parse(ssh, "root");
        } catch (IllegalArgumentException e) {
            throw new UserException("--ssh " + ssh + ": " + e.getMessage());
        }
    }

    SshOptions sshOptions() {
        for (double t : new double[] {connectTimeout, commandTimeout}) {
            // NaN compares false with everything: checked by name, as an infinite or month-long bound
            if (!Double.isFinite(t) || t <= 0 || t > 86_400) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.remote.timeouts"));
            }
        }
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> ids = new ArrayList<>(identities);
        for (Path id : identities) {
            if (!Files.isReadable(id)) throw new UserException(io.portaudit.model.L10n.t("cmd.remote.identity", id));
        }
        if (ids.isEmpty()) {
            for (String n : List.of("id_ecdsa", "id_ed25519", "id_rsa")) {
                Path p = home.resolve(".ssh").resolve(n);
                if (Files.isReadable(p)) ids.add(p);
            }
        }
        String sock = env.get("SSH_AUTH_SOCK");
        Path agent = sock != null && !sock.isBlank() && Files.exists(Path.of(sock)) ? Path.of(sock) : null;
        Console c = console.get();
        SshTarget t = target();
        // the prompts are asked from the SSH client's thread: in the command's language, taken here
        io.portaudit.model.L10n.Lang lang = io.portaudit.model.L10n.lang();
        Supplier<char[]> pw = c == null ? null : () -> c.readPassword("%s", io.portaudit.model.L10n.t(lang, "jf.ssh.password", t.user() + "@" + t.host()));
        java.util.function.Function<Path, char[]> passphrase = c == null ? null
                : key -> c.readPassword("%s", io.portaudit.model.L10n.t(lang, "jf.ssh.passphrase", key));
        return new SshOptions(ids, agent, pw, passphrase, knownHosts == null ? SshOptions.defaultKnownHosts() : knownHosts, acceptNewHostKey,
                Duration.ofMillis((long) (connectTimeout * 1000)), Duration.ofMillis((long) (commandTimeout * 1000)),
                SshOptions.DEFAULT_MAX_OUTPUT, Clock.systemUTC());
    }
}
