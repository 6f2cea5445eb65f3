package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.AddressText;
import io.portaudit.model.L10n;
import io.portaudit.model.Listener;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.scan.PortSpec;
import io.portaudit.scan.ScanRequest;
import io.portaudit.scan.Scanner;
import io.portaudit.scan.TargetSpec;
import io.portaudit.scan.TimingTemplate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What this machine's own services answer: the service identification of {@code scan -sV}, run against the
 * listeners of a local audit over loopback only — {@code 127.0.0.1} for the IPv4 ones, {@code ::1} for the IPv6
 * ones, never another address. A listener bound to a specific non-loopback address (or a link-local one) is not
 * probed, and the note says so: its service cannot be reached through loopback, and portaudit does not send
 * traffic to this machine's other addresses. The facts (service, product, proven weaknesses) feed the findings
 * that read weaknesses; whether a port is reachable from the network still comes from the firewall model and the
 * listeners' scope, never from this probe (a connect over {@code lo} proves nothing about a remote host). Bounded:
 * {@link #PER_PORT} per port and {@link #BUDGET} for the whole probe, after which it stops and says which ports
 * were left.
 */
public final class LoopbackProbe {
    /** The whole probe's time limit. */
    public static final Duration BUDGET = Duration.ofSeconds(20);
    /** One port's identification limit (connect, greeting, protocol probes, TLS handshake). */
    static final Duration PER_PORT = Duration.ofSeconds(3);
    /** How the probe's note starts in English ({@code lp.note}; the report says the facts came from a loopback probe; {@link Checks} reads it). */
    public static final String NOTE = "service facts from a loopback probe of this machine's listeners";
    /** What the facts' evidence names as their source. */
    public static final String SOURCE = "loopback probe of this machine";

    /** What was learned: the ports probed (each with its address, 127.0.0.1 or ::1), and notes for the report. */
    public record Result(List<PortResult> results, List<String> notes) {
        public Result {
            results = List.copyOf(results);
            notes = List.copyOf(notes);
        }
    }

    private LoopbackProbe() {}

    /** Probes the own-namespace listeners of a local audit over loopback; {@code budget} bounds the whole probe. */
    public static Result probe(List<Listener> listeners, ServiceNames names, Clock clock, Duration budget) {
        List<String> notes = new ArrayList<>();
        // target address → ports: 127.0.0.1 / ::1 for listeners on every address, the listener's own loopback address
        // (127.0.0.5, ::1) for one bound to loopback; a listener on any other address is not probed
        Map<String, TreeSet<Integer>> tcp = new TreeMap<>(), udp = new TreeMap<>();
        TreeSet<String> skipped = new TreeSet<>();
        for (Listener l : listeners) {
            if (l.port() < 1) continue;
            List<String> targets = targets(l);
            if (targets.isEmpty()) {
                skipped.add(l.protocol().label() + " " + l.endpoint());
                continue;
            }
            for (String t : targets) (l.protocol() == Protocol.TCP ? tcp : udp).computeIfAbsent(t, k -> new TreeSet<>()).add(l.port());
        }
        if (!skipped.isEmpty()) {
            notes.add(L10n.t("lp.skipped", String.join(", ", skipped)));
        }
        TreeSet<String> addresses = new TreeSet<>(tcp.keySet());
        addresses.addAll(udp.keySet());
        List<PortResult> results = new ArrayList<>();
        long deadline = clock.millis() + budget.toMillis();
        List<String> asked = new ArrayList<>();
        for (String a : addresses) {
            TreeSet<Integer> t = tcp.getOrDefault(a, new TreeSet<>()), u = udp.getOrDefault(a, new TreeSet<>());
            asked.add(a + (t.isEmpty() ? "" : " tcp " + ports(t)) + (u.isEmpty() ? "" : " udp " + ports(u)));
            probe(a, t, u, names, clock, deadline, budget, results, notes);
        }
        if (!asked.isEmpty()) {
            long identified = results.stream().filter(r -> r.state() == PortState.OPEN && (r.service() != null || r.product() != null)).count();
            notes.add(0, L10n.t("lp.note", String.join("; ", asked), identified));
        }
        return new Result(results, notes);
    }

    /** The loopback addresses that reach {@code l}: none unless it is bound to every address or to a loopback one. */
    static List<String> targets(Listener l) {
        List<String> out = new ArrayList<>();
        switch (l.scope()) {
            case ALL, ALL_PLUS_IPV4 -> {
                if (l.family() == AddressFamily.IPV4 || l.reaches(AddressFamily.IPV4)) out.add("127.0.0.1");
                if (l.family() == AddressFamily.IPV6) out.add("::1");
            }
            case LOOPBACK -> loopback(l.address()).ifPresent(out::add);
            default -> { }
        }
        return out;
    }

    /** A loopback address literal in the form the scanner takes ({@code ::ffff:127.0.0.5} → 127.0.0.5), or empty. */
    private static Optional<String> loopback(String address) {
        if (address == null) return Optional.empty();
        String a = address.startsWith("::ffff:") && address.indexOf('.') > 0 ? address.substring(7) : address;
        boolean v4 = a.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        boolean v6 = a.equals("::1");
        if (!v4 && !v6) return Optional.empty();
        try {
            // a literal: no name is looked up; checked once more so that nothing but loopback is ever probed
            InetAddress ia = InetAddress.getByName(a);
            return ia.isLoopbackAddress() ? Optional.of(AddressText.format(ia)) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static PortSet ports(TreeSet<Integer> ports) {
        List<PortRange> r = new ArrayList<>();
        for (int p : ports) r.add(PortRange.of(p));
        return PortSet.of(r);
    }

    /** One loopback address's scan with -sV, stopped at the deadline. */
    private static void probe(String address, TreeSet<Integer> tcp, TreeSet<Integer> udp, ServiceNames names, Clock clock,
                              long deadline, Duration budget, List<PortResult> results, List<String> notes) {
        if (tcp.isEmpty() && udp.isEmpty()) return;
        long left = deadline - clock.millis();
        if (left <= 0) {
            notes.add(L10n.t("lp.notime", address, budget.toSeconds()));
            return;
        }
        // a literal loopback address: no name is looked up, and nothing but loopback can be reached
        TargetSpec target = TargetSpec.parse(List.of(address), List.of(), true);
        ScanRequest req = ScanRequest.builder(target, PortSpec.of(ports(tcp), ports(udp))).tcp(!tcp.isEmpty()).udp(!udp.isEmpty())
                .skipDiscovery(true).serviceDetection(true).serviceTimeout(PER_PORT).timing(TimingTemplate.of(4)).names(names).build();
        Scanner scanner = new Scanner().withClock(clock);
        Thread watchdog = Thread.ofPlatform().daemon().name("portaudit-loopback-probe-limit").start(() -> {
            try {
                Thread.sleep(left);
                scanner.stop();
            } catch (InterruptedException e) {
                // the probe ended first
            }
        });
        List<PortResult> got = new ArrayList<>();
        Scanner.Outcome outcome;
        try {
            outcome = scanner.run(req, (PortResult r) -> {
                synchronized (got) {
                    got.add(r);
                }
            });
        } finally {
            watchdog.interrupt();
        }
        if (!outcome.complete()) {
            notes.add(L10n.t("lp.limit", address, budget.toSeconds()));
        }
        synchronized (got) {
            results.addAll(got);
        }
    }
}
