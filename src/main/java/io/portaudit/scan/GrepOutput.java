package io.portaudit.scan;

import io.portaudit.model.Text;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** nmap's grepable output ({@code -oG}): one {@code Host:} line for status and one for ports. */
public final class GrepOutput implements ScanListener {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);
    private final PrintWriter out;

    public GrepOutput(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void started(ScanInfo info) {
        out.println("# portaudit " + info.version() + " scan initiated "
                + WHEN.format(Instant.ofEpochMilli(info.startMillis()).atZone(ZoneId.systemDefault())) + " as: " + info.args());
        out.flush();
    }

    @Override
    public void host(HostReport h) {
        String a = h.address();
        out.println("Host: " + a + " ()\tStatus: " + (h.up() ? "Up" : "Down"));
        if (h.up() && !h.ports().isEmpty()) {
            Set<PortState> hidden = h.collapsed(NormalOutput.MAX_PER_STATE, false);
            List<String> ports = new ArrayList<>();
            for (PortResult r : h.shown(hidden)) {
                String v = NormalOutput.versionColumn(r);
                ports.add(r.port() + "/" + r.state().label() + "/" + r.protocol().label() + "//"
                        + clean(r.service() == null ? "" : r.service()) + "//" + clean(v) + "/");
            }
            StringBuilder line = new StringBuilder("Host: " + a + " ()\tPorts: " + String.join(", ", ports));
            Map<PortState, Integer> counts = h.counts();
            List<String> ignored = new ArrayList<>();
            for (PortState s : hidden) ignored.add(s.label() + " (" + counts.get(s) + ")");
            if (!ignored.isEmpty()) line.append("\tIgnored State: ").append(String.join(", ", ignored));
            out.println(line);
        }
        out.flush();
    }

    private static String clean(String s) {
        return Text.banner(s, 80).replace("/", "|").replace(",", " ");
    }

    @Override
    public void finished(ScanSummary s) {
        int total = s.hostsUp() + s.hostsDown();
        out.printf(Locale.ROOT, "# portaudit done at %s -- %d IP address%s (%d host%s up) scanned in %.2f seconds%s%n",
                WHEN.format(Instant.ofEpochMilli(s.endMillis()).atZone(ZoneId.systemDefault())), total, total == 1 ? "" : "es",
                s.hostsUp(), s.hostsUp() == 1 ? "" : "s", s.elapsedSeconds(), s.partial() ? " (partial: " + s.exitReason() + ")" : "");
        out.flush();
    }
}
