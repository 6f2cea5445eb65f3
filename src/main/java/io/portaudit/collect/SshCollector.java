package io.portaudit.collect;

import io.portaudit.model.AddressText;
import io.portaudit.model.DeviceSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Collects a device's raw texts over SSH (Apache MINA SSHD): strict host-key checking against a
 * known_hosts file, then the fixed {@link CaptureCommands} sequence, one exec channel per command, each bounded
 * in time and output size. Every command is {@code sh -c 'CONSTANT SNIPPET'} quoted by {@link Sh};
 * the only value taken from the device (a pid, to read a namespace's tables) is checked to be digits.
 * A command that stalls is cut (the capture is marked truncated and the snapshot partial); a dropped
 * connection ends the collection and keeps what arrived (partial).
 */
public final class SshCollector {
    private static final int MAX_STDERR = 1024 * 1024;
    /** After this many commands in a row that did not finish in time, the device is given up on. */
    private static final int MAX_CONSECUTIVE_STALLS = 2;

    private SshCollector() {}

    public static DeviceSnapshot collect(SshTarget target, SshOptions o) throws CollectException {
        String khProblem = knownHostsProblem(o);
        if (khProblem != null) throw new CollectException(khProblem);
        SshClient client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        HostKeyCheck check = new HostKeyCheck(target, o);
        client.setServerKeyVerifier(check.verifier());
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        if (o.agentSocket() != null) client.setAgentFactory(new UnixAgentClient.Factory(o.agentSocket()));
        List<String> recorded = recordedKeyTypes(o.knownHosts(), target);
        if (!recorded.isEmpty()) client.setSignatureFactories(preferRecorded(client.getSignatureFactories(), recorded));
        client.start();
        try {
            ClientSession session = connect(client, target, o, check);
            try (session) {
                return run(session, target, o);
            }
        } catch (IOException e) {
            throw new CollectException("ssh " + target + ": " + e.getMessage(), e);
        } finally {
            client.stop();
        }
    }

    /**
     * Why the known_hosts file cannot be used, or null. A file that does not exist holds no key, so every device would be
     * refused as "not known" — a message that sends the user comparing fingerprints when the real mistake is the path; it
     * is named here instead. With {@code --accept-new-host-key} a missing file is fine (the first key is recorded in it,
     * as documented); a directory or an unreadable file never is.
     */
    public static String knownHostsProblem(SshOptions o) {
        Path f = o.knownHosts();
        if (f == null) return io.portaudit.model.L10n.t("ssh.kh.none");
        if (Files.isDirectory(f)) return io.portaudit.model.L10n.t("ssh.kh.dir", f);
        if (!Files.exists(f)) {
            if (o.acceptNewHostKey()) return null;
            return io.portaudit.model.L10n.t("ssh.kh.missing", f);
        }
        if (!Files.isReadable(f)) return io.portaudit.model.L10n.t("ssh.kh.unreadable", f);
        return null;
    }

    /** The key types on record for the target, so that the device is asked for that key (as OpenSSH does). */
    static List<String> recordedKeyTypes(Path knownHosts, SshTarget t) {
        List<String> types = new ArrayList<>();
        try {
            if (!Files.isReadable(knownHosts)) return types;
            for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(knownHosts)) {
                if (e.getKeyEntry() == null || e.getMarker() != null) continue;
                if (e.isHostMatch(t.host(), t.port()) && !types.contains(e.getKeyEntry().getKeyType())) types.add(e.getKeyEntry().getKeyType());
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable known_hosts is reported by the verifier itself
        }
        return types;
    }

    /** Host-key algorithms matching a recorded key type first, the rest after in their own order. */
    static <F extends NamedResource> List<F> preferRecorded(List<F> factories, List<String> recordedTypes) {
        List<F> first = new ArrayList<>();
        List<F> rest = new ArrayList<>();
        for (F f : factories) {
            String n = f.getName();
            boolean match = recordedTypes.stream().anyMatch(t -> n.equals(t)
                    || (t.equals("ssh-rsa") && (n.equals("rsa-sha2-512") || n.equals("rsa-sha2-256"))));
            (match ? first : rest).add(f);
        }
        first.addAll(rest);
        return first;
    }

    private static ClientSession connect(SshClient client, SshTarget t, SshOptions o, HostKeyCheck check) throws CollectException {
        long deadline = System.nanoTime() + o.connectTimeout().toNanos();
        ClientSession session = null;
        List<String> keyProblems = new ArrayList<>();
        try {
            session = client.connect(t.user(), t.host(), t.port()).verify(o.connectTimeout()).getClientSession();
            for (Path id : o.identities()) {
                FileKeyPairProvider keys = new FileKeyPairProvider(id);
                keys.setPasswordFinder(passphraseFor(id, o, keyProblems));
                try {
                    for (var kp : keys.loadKeys(session)) session.addPublicKeyIdentity(kp);
                } catch (Exception e) {
                    keyProblems.add(id + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                }
            }
            session.setUserInteraction(new Interaction(o));
            session.auth().verify(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return session;
        } catch (Exception e) {
            if (session != null) session.close(true);
            if (check.problem != null) throw check.problem;
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (why.contains("No more authentication methods")) {
                throw new CollectException("ssh " + t + ": authentication failed (no key, agent identity or password was "
                        + "accepted): use -i KEY, an ssh-agent (SSH_AUTH_SOCK), or run on a terminal to type a password"
                        + (keyProblems.isEmpty() ? "" : "; keys that could not be loaded: " + String.join("; ", keyProblems)), e);
            }
            // MINA's "DefaultConnectFuture[root@/10.0.0.5:22]: Failed (ConnectException) to execute: Connection refused" -> "connection refused"
            String plain = why.replaceFirst("^DefaultConnectFuture\\[[^\\]]*\\]: Failed \\(\\w+\\) to execute: ", "");
            if (!plain.equals(why) && !plain.isEmpty()) why = Character.toLowerCase(plain.charAt(0)) + plain.substring(1);
            throw new CollectException("ssh " + t + ": cannot connect: " + why, e);
        }
    }

    /**
     * The passphrase of an encrypted key file, asked at most once for that file (on a terminal, as
     * OpenSSH does); a wrong or missing one leaves the key unloaded, and the other ways to log in
     * are still tried.
     */
    static FilePasswordProvider passphraseFor(Path key, SshOptions o, List<String> problems) {
        boolean[] asked = new boolean[1];
        return (session, resource, retry) -> {
            if (asked[0] || retry > 0) return null;
            asked[0] = true;
            if (o.passphrase() == null) {
                problems.add(key + ": encrypted, and there is no terminal to ask for its passphrase (add it to an ssh-agent)");
                return null;
            }
            char[] p = o.passphrase().apply(key);
            if (p == null || p.length == 0) problems.add(key + ": encrypted, and no passphrase was given");
            return p == null ? null : new String(p);
        };
    }

    private static DeviceSnapshot run(ClientSession session, SshTarget t, SshOptions o) {
        SnapshotBuilder b = new SnapshotBuilder("ssh://" + t);
        Instant started = o.clock().instant();
        Exec ex = new Exec(session, o, b);
        var list = ex.runAndGet(CaptureCommands.NETNS_LIST);
        if (list == null) return done(b, t, started);
        List<SnapshotBuilder.Netns> namespaces = SnapshotBuilder.parseNetnsList(list);
        String own = SnapshotBuilder.ownNetns(namespaces);
        for (CaptureCommand p : CaptureCommands.DEVICE) {
            if (p.fallbackOf() != null && !p.wanted(b.exitOf(p.fallbackOf()))) continue;
            if (!ex.run(p.kind(), p.command(), p.body(), p.ownNetns() ? own : null)) return done(b, t, started);
        }
        if (!namespaces.isEmpty() && !readTables(ex, b, namespaces, o)) return done(b, t, started);
        ex.run(CaptureCommands.SOCKET_OWNERS.kind(), CaptureCommands.SOCKET_OWNERS.command(), CaptureCommands.SOCKET_OWNERS.body(), null);
        return done(b, t, started);
    }

    /**
     * Reads every namespace's socket tables in one command; each framed table becomes its own capture
     * (command {@code cat /proc/PID/net/TABLE}, the namespace set). A table cut short by the time or
     * size bound is kept and marked truncated. False when the collection must stop.
     */
    private static boolean readTables(Exec ex, SnapshotBuilder b, List<SnapshotBuilder.Netns> namespaces, SshOptions o) {
        Map<String, String> nsOfMember = new LinkedHashMap<>();
        for (SnapshotBuilder.Netns n : namespaces) nsOfMember.put(n.member(), n.id());
        Instant at = o.clock().instant();
        Exec.Outcome r = ex.exec(CaptureCommands.procTablesBody(new ArrayList<>(nsOfMember.keySet())));
        Map<String, String> kindOf = new LinkedHashMap<>();
        for (String[] t : CaptureCommands.PROC_NET_TABLES) kindOf.put(t[1], t[0]);
        for (SnapshotBuilder.Table tb : SnapshotBuilder.splitTables(r.stdout())) {
            String kind = kindOf.get(tb.table());
            if (kind == null || !nsOfMember.containsKey(tb.member())) continue;
            String cmd = CaptureCommands.procNetCommand(tb.member(), tb.table());
            String stderr = tb.complete() ? tb.message() : String.join("\n", r.why());
            b.add(kind, cmd, tb.exit(), tb.text(), stderr, at, nsOfMember.get(tb.member()), !tb.complete());
        }
        if (!r.why().isEmpty() && !r.lost() && !r.timedOut()) b.note(CaptureCommands.PROC_TABLES_LABEL + ": " + String.join("; ", r.why()));
        if (r.exit() == null || r.timedOut() || r.overflow()) {
            b.partial(CaptureCommands.PROC_TABLES_LABEL + ": incomplete (" + String.join("; ", r.why()) + ")");
        }
        return ex.after(CaptureCommands.PROC_TABLES_LABEL, r);
    }

    private static DeviceSnapshot done(SnapshotBuilder b, SshTarget t, Instant started) {
        return b.build(t.host(), started);
    }

    /** Runs commands one by one, tracking stalls and the session's health. */
    private static final class Exec {
        private final ClientSession session;
        private final SshOptions o;
        private final SnapshotBuilder b;
        private int stalls;
        private String lastStdout;

        Exec(ClientSession session, SshOptions o, SnapshotBuilder b) {
            this.session = session;
            this.o = o;
            this.b = b;
        }

        String runAndGet(CaptureCommand p) {
            return run(p.kind(), p.command(), p.body(), null) ? lastStdout : null;
        }

        /** What one command did. */
        record Outcome(Integer exit, String stdout, String stderr, boolean timedOut, boolean lost, boolean overflow,
                       List<String> why) {}

        /** Runs one command, bounded in time and output; never throws. */
        Outcome exec(String body) {
            Bounded out = new Bounded(o.maxOutputBytes());
            Bounded err = new Bounded(MAX_STDERR);
            Integer exit = null;
            boolean timedOut = false;
            boolean lost = false;
            String problem = null;
            try (ChannelExec ch = session.createExecChannel(Sh.shC(CaptureCommands.PRELUDE + body))) {
                ch.setOut(out);
                ch.setErr(err);
                ch.setRedirectErrorStream(false);
                ch.open().verify(o.commandTimeout());
                Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), o.commandTimeout());
                if (ev.contains(ClientChannelEvent.TIMEOUT)) {
                    timedOut = true;
                    ch.close(true);
                } else {
                    exit = ch.getExitStatus();
                    if (exit == null && ch.getExitSignal() == null) lost = !session.isOpen() || session.isClosing();
                    if (exit == null && ch.getExitSignal() != null) problem = "killed by signal " + ch.getExitSignal();
                }
            } catch (IOException | RuntimeException e) {
                lost = !session.isOpen() || session.isClosing();
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (!lost) timedOut = problem.toLowerCase().contains("timeout") || problem.toLowerCase().contains("timed out");
            }
            List<String> why = new ArrayList<>();
            if (timedOut) why.add("portaudit: timed out after " + o.commandTimeout().toSeconds() + " s");
            if (lost) why.add("portaudit: the connection was lost");
            else if (problem != null) why.add("portaudit: " + problem);
            if (out.overflow) why.add("portaudit: output cut at " + o.maxOutputBytes() + " bytes");
            if (exit == null && problem != null && !timedOut) lost = lost || !session.isOpen();
            return new Outcome(exit, out.text(), err.text(), timedOut, lost, out.overflow, why);
        }

        /** Runs one command and records it; false when the collection must stop (connection lost, device stalled). */
        boolean run(String kind, String label, String body, String netns) {
            Instant at = o.clock().instant();
            if (!session.isOpen()) {
                b.partial("the connection to the device was lost before '" + label + "': the snapshot is partial");
                return false;
            }
            Outcome r = exec(body);
            String stderr = r.stderr();
            if (!r.why().isEmpty()) stderr = stderr + (stderr.isEmpty() ? "" : "\n") + String.join("\n", r.why());
            boolean truncated = r.timedOut() || r.lost() || r.overflow() || (r.exit() == null && !r.why().isEmpty());
            lastStdout = r.stdout();
            b.add(kind, label, r.exit(), r.stdout(), stderr, at, netns, truncated);
            return after(label, r);
        }

        /** Decides whether to go on after a command: not after a lost connection or too many stalls in a row. */
        boolean after(String label, Outcome r) {
            if (r.lost() || !session.isOpen()) {
                b.partial("the connection to the device was lost during '" + label + "': the snapshot is partial");
                return false;
            }
            stalls = r.timedOut() ? stalls + 1 : 0;
            if (stalls >= MAX_CONSECUTIVE_STALLS) {
                b.partial("the device stopped answering (" + stalls + " commands in a row timed out): the snapshot is partial");
                return false;
            }
            return true;
        }
    }

    /** Keeps the first {@code max} bytes, discards (and flags) the rest so the channel never blocks. */
    static final class Bounded extends OutputStream {
        private final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        private final int max;
        volatile boolean overflow;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int take = Math.min(max - data.size(), len);
            if (take < len) overflow = true;
            if (take > 0) data.write(b, off, take);
        }

        synchronized String text() {
            return data.toString(StandardCharsets.UTF_8);
        }
    }

    /** Password (and keyboard-interactive) only when the caller can ask a person; asked at most once. */
    private static final class Interaction implements UserInteraction {
        private final SshOptions o;
        private boolean asked;

        Interaction(SshOptions o) {
            this.o = o;
        }

        @Override
        public boolean isInteractionAllowed(ClientSession session) {
            return o.password() != null && !asked;
        }

        @Override
        public String[] interactive(ClientSession session, String name, String instruction, String lang, String[] prompt, boolean[] echo) {
            String pw = resolve();
            if (pw == null || prompt.length != 1) return null;
            return new String[] {pw};
        }

        @Override
        public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
            return null;
        }

        @Override
        public String resolveAuthPasswordAttempt(ClientSession session) {
            return resolve();
        }

        private synchronized String resolve() {
            if (o.password() == null || asked) return null;
            asked = true;
            char[] pw = o.password().get();
            return pw == null ? null : new String(pw);
        }
    }

    /** Strict known_hosts checking with clear refusals; records a new key only on explicit opt-in. */
    static final class HostKeyCheck {
        private final SshTarget target;
        private final SshOptions o;
        volatile HostKeyException problem;
        /** The language of the messages: the caller's (the verifier runs on an SSH I/O thread). */
        private final io.portaudit.model.L10n.Lang lang = io.portaudit.model.L10n.lang();

        HostKeyCheck(SshTarget target, SshOptions o) {
            this.target = target;
            this.o = o;
        }

        KnownHostsServerKeyVerifier verifier() {
            Path file = o.knownHosts();
            return new KnownHostsServerKeyVerifier((ClientSession s, SocketAddress addr, PublicKey key) -> {
                if (o.acceptNewHostKey()) {
                    try {
                        if (file.getParent() != null) Files.createDirectories(file.getParent());
                    } catch (IOException e) {
                        problem = new HostKeyException(io.portaudit.model.L10n.t(lang, "ssh.kh.mkdir", file, e.getMessage()), false,
                                fingerprint(key));
                        return false;
                    }
                    return true;
                }
                problem = new HostKeyException(unknownMessage(key), false, fingerprint(key));
                return false;
            }, file) {
                /**
                 * The names a known_hosts line may give the device by: the host as the user wrote it
                 * (what OpenSSH records), and the address in RFC 5952 form — OpenSSH writes IPv6
                 * compressed ({@code fd77:40::2}) where Java spells it out ({@code fd77:40:0:0:0:0:0:2}),
                 * so MINA's own candidates never matched a known_hosts written by OpenSSH for an IPv6 device.
                 */
                @Override
                protected java.util.Collection<SshdSocketAddress> resolveHostNetworkIdentities(ClientSession s, SocketAddress addr) {
                    java.util.Set<SshdSocketAddress> ids = new java.util.LinkedHashSet<>();
                    ids.add(new SshdSocketAddress(target.host(), target.port()));
                    if (addr instanceof java.net.InetSocketAddress isa && isa.getAddress() != null) {
                        ids.add(new SshdSocketAddress(AddressText.format(isa.getAddress()).replaceFirst("%.*$", ""), isa.getPort()));
                    }
                    ids.addAll(super.resolveHostNetworkIdentities(s, addr));
                    return ids;
                }

                @Override
                public boolean acceptModifiedServerKey(ClientSession s, SocketAddress addr, KnownHostEntry entry,
                                                       PublicKey expected, PublicKey actual) {
                    problem = new HostKeyException(changedMessage(expected, actual), true, fingerprint(actual));
                    return false;
                }
            };
        }

        private String unknownMessage(PublicKey key) {
            return io.portaudit.model.L10n.t(lang, "ssh.kh.unknown", target.knownHostsName(), o.knownHosts(), KeyUtils.getKeyType(key), fingerprint(key));
        }

        private String changedMessage(PublicKey expected, PublicKey actual) {
            return io.portaudit.model.L10n.t(lang, "ssh.kh.changed", target.knownHostsName(), o.knownHosts(), KeyUtils.getKeyType(expected) + " " + fingerprint(expected), KeyUtils.getKeyType(actual) + " " + fingerprint(actual), Sh.quote(target.knownHostsName()), Sh.quote(o.knownHosts().toString()));
        }
    }

    /** {@code SHA256:base64} as ssh-keygen -l prints it. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }
}
