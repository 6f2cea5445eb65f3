package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import io.portaudit.lab.LabTest;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile services on a device of our own (pa-scan2, 10.77.31.2 / fd77:31::2, started from
 * {@code fixtures/scan/hostile.py}): a service that never sends, an endless banner, 1 byte/s,
 * accept-then-reset, TLS garbage, and 10,000 listeners whose accept queues overflow.
 *
 * <p>The overflow: 10,000 ports listen with {@code listen(fd, 0)} and never accept, so each accept
 * queue holds exactly one connection. A first scan finds them open (its one connection per port
 * fills the queue; the kernel's {@code ss} shows Recv-Q 1 on every one); from then on the kernel
 * drops every SYN to them before answering (counted in {@code TcpExtListenOverflows}), which is
 * silence: filtered/no-response is what the kernel implies. The second scan — {@code -T4 -sV} over
 * the hostile ports, the 10,000 overflowing ports and 1,000 closed ports, IPv4 and IPv6 — runs as
 * a separate JVM with {@code -Xmx64m} and must finish within its time bound with every state as
 * the kernel implies and every banner bounded.
 */
@LabTest
class ScanHostileLabTest {
    static final String NS = Lab.unique("pa-scan2"), LINK = Lab.uniqueLink("vpa-scan2"), V4 = "10.77.31.2", V6 = "fd77:31::2";
    static final int OVERFLOW_FROM = 20000, OVERFLOW_COUNT = 10_000, CLOSED_FROM = 30000, CLOSED_TO = 30999;
    static final int SILENT = 21, ENDLESS = 2121, SLOW = 2323, RESET = 2424, GARBAGE = 443;
    static final Duration T = Duration.ofSeconds(30);
    static Process daemon;

    @BeforeAll
    static void device() throws Exception {
        cleanup();
        Lab.device(NS, LINK, "10.77.31.1/24", V4 + "/24", "fd77:31::1/64", V6 + "/64");
        Path script = Path.of("src/test/resources/fixtures/scan/hostile.py").toAbsolutePath();
        daemon = Lab.daemon(NS, "sh", "-c", "ulimit -n 12000 && exec /usr/bin/python3 '" + script + "' " + OVERFLOW_FROM + " " + OVERFLOW_COUNT);
    }

    @AfterAll
    static void cleanup() throws Exception {
        Lab.stop(daemon);
        Lab.removeDevice(NS, LINK);
    }

    /** A portaudit scan in its own JVM with a 64 MiB heap, under /usr/bin/time for its peak RSS. */
    record Run(Map<String, Map<Integer, PortResult>> byHost, long millis, long maxRssKb, String err) {}

    static Run scan(Duration bound, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "maxrss=%M"));
        List<String> pa = new ArrayList<>(Lab.portaudit(args));
        pa.add(1, "-Xmx64m");
        pa.add(2, "-XX:+ExitOnOutOfMemoryError");
        cmd.addAll(pa);
        long t0 = System.nanoTime();
        Lab.Result r = Lab.run(bound.plusSeconds(30), cmd);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.exit()).as(r.err()).isZero();
        var imported = NmapOutputs.read("child", r.out());
        assertThat(imported.problems()).isEmpty();
        Map<String, Map<Integer, PortResult>> m = new TreeMap<>();
        for (PortResult p : imported.ports()) {
            if (p.protocol() != Protocol.TCP) continue;
            assertThat(m.computeIfAbsent(p.address(), a -> new TreeMap<>()).put(p.port(), p)).isNull();
        }
        Matcher rss = Pattern.compile("maxrss=(\\d+)").matcher(r.err());
        assertThat(rss.find()).as(r.err()).isTrue();
        return new Run(m, ms, Long.parseLong(rss.group(1)), r.err());
    }


    /** Listening sockets in the overflow range whose accept queue is full (Recv-Q 1 of Send-Q 0). */
    static int fullQueues() {
        Lab.Result r = Lab.run(T, "ip", "netns", "exec", NS, "ss", "-Hltn");
        Matcher m = Pattern.compile("(?m)^LISTEN\\s+(\\d+)\\s+(\\d+)\\s+0\\.0\\.0\\.0:(\\d+)").matcher(r.out());
        int n = 0;
        while (m.find()) {
            int port = Integer.parseInt(m.group(3));
            if (port >= OVERFLOW_FROM && port < OVERFLOW_FROM + OVERFLOW_COUNT && m.group(1).equals("1") && m.group(2).equals("0")) n++;
        }
        return n;
    }

    @Test
    void hostileServicesAndTenThousandOverflowingListeners() {
        String range = OVERFLOW_FROM + "-" + (OVERFLOW_FROM + OVERFLOW_COUNT - 1);
        // 1. each overflow port accepts exactly one connection: the first scan finds all open
        Run fill = scan(Duration.ofSeconds(20), "scan", "-T4", "-n", "-Pn", "-p", range, "--json", V4);
        assertThat(fill.byHost().get(V4).values()).hasSize(OVERFLOW_COUNT)
                .allSatisfy(p -> assertThat(p.state()).as("port " + p.port()).isEqualTo(PortState.OPEN));
        assertThat(fullQueues()).as("accept queues full after the first scan").isEqualTo(OVERFLOW_COUNT);

        // 2. now every SYN to them is dropped by the kernel; the hostile services under -sV
        Map<String, Long> before = Lab.listenCounters(NS);
        String ports = SILENT + "," + GARBAGE + "," + ENDLESS + "," + SLOW + "," + RESET + "," + range + "," + CLOSED_FROM + "-" + CLOSED_TO;
        Duration bound = Duration.ofSeconds(40);
        Run run = scan(bound, "scan", "-T4", "-sV", "-n", "-Pn", "-p", ports, "--json", V4, V6);
        long overflows = Lab.listenCounters(NS).get("TcpExtListenOverflows") - before.get("TcpExtListenOverflows");
        assertThat(overflows).as("SYNs the kernel dropped for full accept queues").isGreaterThanOrEqualTo(OVERFLOW_COUNT);
        assertThat(run.millis()).as("wall time, ms").isLessThan(bound.toMillis());
        assertThat(run.maxRssKb()).as("peak RSS, KiB").isLessThan(400_000);
        System.out.printf("hostile scan: %d ms, max RSS %d KiB, %d SYNs dropped by overflow%n", run.millis(), run.maxRssKb(), overflows);

        for (String host : List.of(V4, V6)) {
            Map<Integer, PortResult> m = run.byHost().get(host);
            assertThat(m).as(host).hasSize(5 + OVERFLOW_COUNT + (CLOSED_TO - CLOSED_FROM + 1));
            List<String> wrong = new ArrayList<>();
            for (PortResult p : m.values()) {
                PortState want;
                String reason;
                if (List.of(SILENT, GARBAGE, ENDLESS, SLOW, RESET).contains(p.port())) {
                    want = PortState.OPEN;
                    reason = "syn-ack";
                } else if (p.port() >= OVERFLOW_FROM && p.port() < OVERFLOW_FROM + OVERFLOW_COUNT && host.equals(V4)) {
                    want = PortState.FILTERED;     // SYN dropped: the accept queue is full
                    reason = "no-response";
                } else {
                    want = PortState.CLOSED;       // nothing listens (the overflow listeners are IPv4 only)
                    reason = "conn-refused";
                }
                if (p.state() != want || !p.reason().equals(reason)) {
                    wrong.add(host + " " + p.port() + ": want " + want.label() + "/" + reason + ", got " + p.state().label() + "/" + p.reason());
                }
            }
            assertThat(wrong).as(host).isEmpty();
            assertThat(m.get(ENDLESS).banner().length()).as(host + " endless").isLessThanOrEqualTo(ServiceDetector.MAX_BYTES);
            assertThat(m.get(ENDLESS).banner()).startsWith("220 AAAA");
            assertThat(m.get(SLOW).banner()).as(host + " slow").startsWith("2").hasSizeLessThan(10);   // 300 ms of quiet ends a greeting
            // 443 gets a TLS handshake first; garbage fails it, so nothing is identified: the port
            // stays open with its table name, and the banner says why (a bounded failure, not a hang)
            assertThat(m.get(GARBAGE).service()).as(host + " garbage").isEqualTo("https");
            assertThat(m.get(GARBAGE).product()).as(host + " garbage").isNull();
            assertThat(m.get(GARBAGE).banner()).as(host + " garbage").startsWith("TLS handshake failed: ");
            assertThat(m.get(SILENT).banner()).as(host + " silent").isNullOrEmpty();
        }
        assertThat(fullQueues()).as("the device's queues are still full, nothing accepted").isEqualTo(OVERFLOW_COUNT);
    }
}
