package io.portaudit.collect;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * How to reach and authenticate to a device, and how long to wait.
 *
 * @param identities      private key files to offer (empty: only the agent and the password)
 * @param agentSocket     the ssh-agent socket ({@code SSH_AUTH_SOCK}); null: no agent
 * @param password        asked at most once when the device wants a password; null: never (not a TTY)
 * @param passphrase      asked at most once per encrypted key file, for that file; null: never (not a TTY)
 * @param knownHosts      the known_hosts file checked strictly (default {@code ~/.ssh/known_hosts})
 * @param acceptNewHostKey record the key of a host not yet in {@code knownHosts} (never a changed one)
 * @param connectTimeout  bound on TCP connect + key exchange + authentication
 * @param commandTimeout  bound on each command on the device
 * @param maxOutputBytes  bound on each command's stdout (stderr is bounded at 1 MiB)
 */
public record SshOptions(List<Path> identities, Path agentSocket, Supplier<char[]> password,
                         java.util.function.Function<Path, char[]> passphrase, Path knownHosts,
                         boolean acceptNewHostKey, Duration connectTimeout, Duration commandTimeout, int maxOutputBytes,
                         Clock clock) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024;

    public SshOptions {
        identities = List.copyOf(identities);
    }

    public static Path defaultKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** Key file(s), strict checking against {@code knownHosts}, default timeouts, no agent, no password. */
    public static SshOptions of(List<Path> identities, Path knownHosts) {
        return new SshOptions(identities, null, null, null, knownHosts, false, DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_MAX_OUTPUT, Clock.systemUTC());
    }

    public SshOptions withAcceptNewHostKey(boolean accept) {
        return new SshOptions(identities, agentSocket, password, passphrase, knownHosts, accept, connectTimeout, commandTimeout,
                maxOutputBytes, clock);
    }

    public SshOptions withTimeouts(Duration connect, Duration command) {
        return new SshOptions(identities, agentSocket, password, passphrase, knownHosts, acceptNewHostKey, connect, command,
                maxOutputBytes, clock);
    }

    public SshOptions withAgent(Path socket) {
        return new SshOptions(identities, socket, password, passphrase, knownHosts, acceptNewHostKey, connectTimeout, commandTimeout,
                maxOutputBytes, clock);
    }

    public SshOptions withPassword(Supplier<char[]> pw) {
        return new SshOptions(identities, agentSocket, pw, passphrase, knownHosts, acceptNewHostKey, connectTimeout, commandTimeout,
                maxOutputBytes, clock);
    }

    public SshOptions withPassphrase(java.util.function.Function<Path, char[]> ask) {
        return new SshOptions(identities, agentSocket, password, ask, knownHosts, acceptNewHostKey, connectTimeout, commandTimeout,
                maxOutputBytes, clock);
    }

    public SshOptions withMaxOutputBytes(int max) {
        return new SshOptions(identities, agentSocket, password, passphrase, knownHosts, acceptNewHostKey, connectTimeout, commandTimeout,
                max, clock);
    }
}
