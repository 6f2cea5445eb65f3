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

/**
 * nmap-like normal output ({@code -oN}, and the default on standard output): one block per host with
 * "Not shown:" for collapsed states (nmap hides any non-open state with more than 25 ports), then a
 * PORT STATE SERVICE [REASON] [VERSION] table. Banners and titles are escaped.
 */
public final class NormalOutput implements ScanListener {
    public static final int MAX_PER_STATE = 25;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    private final PrintWriter out;
    private final boolean reason, openOnly, fileHeader;
    private boolean versions;
    private int hosts;

    public NormalOutput(PrintWriter out, boolean reason, boolean openOnly, boolean fileHeader) {
        this.out = out;
        this.reason = reason;
        this.openOnly = openOnly;
        this.fileHeader = fileHeader;
    }

    public NormalOutput withVersions(boolean v) {
        this.versions = v;
        return this;
    }

    @Override
    public void started(ScanInfo info) {
        String when = WHEN.format(Instant.ofEpochMilli(info.startMillis()).atZone(ZoneId.systemDefault()));
        if (fileHeader) out.println("# portaudit " + info.version() + " scan initiated " + when + " as: " + info.args());
        else out.println("Starting portaudit " + info.version() + " at " + when);
        out.flush();
    }

    @Override
    public void host(HostReport h) {
        hosts++;
        if (!h.up()) return;
        out.println("portaudit scan report for " + h.address());
        if (h.srttUs() >= 0) out.printf(Locale.ROOT, "Host is up (%.4fs latency).%n", h.srttUs() / 1e6);
        else out.println("Host is up" + (reason ? " (" + h.reason() + ")" : "") + ".");
        if (h.timedOut()) out.println("Skipping host " + h.address() + " due to host timeout (results so far below)");
        Set<PortState> hidden = h.collapsed(MAX_PER_STATE, openOnly);
        List<PortResult> shown = h.shown(hidden);
        Map<PortState, Map<String, Integer>> rc = h.reasonCounts();
        List<String> parts = new ArrayList<>();
        int hiddenTotal = 0;
        for (PortState s : hidden) {
            Map<String, Integer> byReason = rc.getOrDefault(s, Map.of());
            int n = byReason.values().stream().mapToInt(Integer::intValue).sum();
            hiddenTotal += n;
            StringBuilder r = new StringBuilder();
            byReason.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> r.append(r.isEmpty() ? "" : ", ")
                            .append(byReason.size() > 1 ? e.getValue() + " " : "").append(e.getKey()));
            parts.add(n + " " + s.label() + " " + protocols(h, s) + " ports (" + r + ")");
        }
        if (shown.isEmpty() && hiddenTotal > 0) {
            out.println("All " + hiddenTotal + " scanned ports on " + h.address() + " are in ignored states.");
        }
        if (!parts.isEmpty()) out.println("Not shown: " + String.join(", ", parts));
        if (!shown.isEmpty()) table(shown);
        out.println();
        out.flush();
    }

    private static String protocols(HostReport h, PortState s) {
        boolean tcp = !h.table().counts(io.portaudit.model.Protocol.TCP).getOrDefault(s, 0).equals(0);
        boolean udp = !h.table().counts(io.portaudit.model.Protocol.UDP).getOrDefault(s, 0).equals(0);
        return tcp && udp ? "tcp/udp" : udp ? "udp" : "tcp";
    }

    private void table(List<PortResult> rows) {
        List<String[]> cells = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("PORT", "STATE", "SERVICE"));
        if (reason) head.add("REASON");
        if (versions) head.add("VERSION");
        cells.add(head.toArray(new String[0]));
        for (PortResult r : rows) {
            List<String> c = new ArrayList<>(List.of(r.port() + "/" + r.protocol().label(), r.state().label(),
                    r.service() == null ? "unknown" : Text.banner(r.service(), 40)));
            if (reason) c.add(r.reason());
            if (versions) {
                c.add(Text.banner(versionColumn(r), 120));
            }
            cells.add(c.toArray(new String[0]));
        }
        int cols = head.size();
        int[] w = new int[cols];
        for (String[] row : cells) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], row[i].length());
        for (String[] row : cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(row[i]);
                if (i < cols - 1) sb.append(" ".repeat(w[i] - row[i].length() + 1));
            }
            out.println(sb.toString().stripTrailing());
        }
        if (versions) {
            for (PortResult r : rows) {
                if (r.banner() != null && !r.banner().isEmpty()) {
                    out.println("| " + r.port() + "/" + r.protocol().label() + " banner: " + Text.banner(r.banner(), 160));
                }
                for (io.portaudit.model.Weakness weak : r.weaknesses()) {
                    out.println("| " + r.port() + "/" + r.protocol().label() + " " + NmapOutputs.WEAKNESS_SCRIPT + weak.id() + ": "
                            + Text.banner(weak.detail() == null ? "" : weak.detail(), 1000));
                }
            }
        }
    }

    @Override
    public void finished(ScanSummary s) {
        int total = s.hostsUp() + s.hostsDown();
        String done = String.format(Locale.ROOT, "%d IP address%s (%d host%s up) scanned in %.2f seconds",
                total, total == 1 ? "" : "es", s.hostsUp(), s.hostsUp() == 1 ? "" : "s", s.elapsedSeconds());
        // (hosts are only ever down after discovery: -Pn lists every target as up)
        if (s.hostsUp() == 0 && s.hostsDown() > 0) {
            out.println("Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn");
        }
        if (s.partial()) out.println("WARNING: scan incomplete (" + s.exitReason() + "): results above are partial");
        if (fileHeader) {
            String when = WHEN.format(Instant.ofEpochMilli(s.endMillis()).atZone(ZoneId.systemDefault()));
            out.println("# portaudit done at " + when + " -- " + done + (s.partial() ? " (partial)" : ""));
        } else {
            out.println("portaudit done: " + done + (s.partial() ? " (partial)" : ""));
        }
        out.flush();
    }

    /** nmap's VERSION column: product, version and (extra info). */
    static String versionColumn(PortResult r) {
        String v = ((r.product() == null ? "" : r.product()) + (r.version() == null ? "" : " " + r.version())).trim();
        if (r.extraInfo() != null) v = (v + " (" + r.extraInfo() + ")").trim();
        return v;
    }
}
