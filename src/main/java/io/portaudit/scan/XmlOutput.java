package io.portaudit.scan;

import io.portaudit.model.Text;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * nmap-compatible XML ({@code -oX}): nmaprun / scaninfo / host (status, address, ports with
 * extraports, port/state/service, times) / runstats (finished, hosts), as nmap 7 writes it, so ndiff
 * and other nmap consumers read it. Written to a file it is well-formed at every moment: after each
 * host a provisional {@code <runstats>} marked partial is written and replaced by the next host, so
 * even a killed scan leaves a readable, partial document. Written to a stream (standard output) the
 * trailer comes once, at the end (a stream cannot be rewound).
 */
public final class XmlOutput implements ScanListener {
    private static final DateTimeFormatter STR = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    private final FileChannel file;
    private final java.io.PrintWriter stream;
    private long trailerPos;
    private int up, down;
    private long startMillis;
    private boolean openOnly;

    private XmlOutput(FileChannel file, java.io.PrintWriter stream) {
        this.file = file;
        this.stream = stream;
    }

    public static XmlOutput toFile(Path path) throws IOException {
        return new XmlOutput(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), null);
    }

    public static XmlOutput toStream(java.io.PrintWriter w) {
        return new XmlOutput(null, w);
    }

    /** {@code --open}: like nmap, list only open ports; the rest become extraports. */
    public XmlOutput openOnly(boolean b) {
        this.openOnly = b;
        return this;
    }

    private void write(String s) {
        if (stream != null) {
            stream.print(s);
            stream.flush();
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) file.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void markTrailer() {
        if (file == null) return;
        try {
            trailerPos = file.position();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts a file back to where its trailer starts, so that what follows replaces it. */
    private void dropTrailer() {
        if (file == null) return;
        try {
            file.truncate(trailerPos);
            file.position(trailerPos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A provisional trailer (scan in progress) only goes to a file, where the next one replaces it. */
    private void provisionalTrailer(long endMillis, double elapsed) {
        if (file != null) writeTrailer(endMillis, elapsed, true, "scan in progress");
    }

    private void writeTrailer(long endMillis, double elapsed, boolean partial, String why) {
        dropTrailer();
        String when = STR.format(Instant.ofEpochMilli(endMillis).atZone(ZoneId.systemDefault()));
        int total = up + down;
        String summary = String.format(Locale.ROOT, "portaudit done at %s; %d IP address%s (%d host%s up) scanned in %.2f seconds%s",
                when, total, total == 1 ? "" : "es", up, up == 1 ? "" : "s", elapsed, partial ? " (partial: " + why + ")" : "");
        StringBuilder sb = new StringBuilder();
        sb.append("<runstats><finished time=\"").append(endMillis / 1000).append("\" timestr=\"").append(esc(when))
                .append("\" summary=\"").append(esc(summary)).append("\" elapsed=\"")
                .append(String.format(Locale.ROOT, "%.2f", elapsed)).append("\" exit=\"").append(partial ? "error" : "success").append('"');
        if (partial) sb.append(" errormsg=\"").append(esc("partial: " + why)).append('"');
        sb.append("/><hosts up=\"").append(up).append("\" down=\"").append(down).append("\" total=\"").append(total)
                .append("\"/>\n</runstats>\n</nmaprun>\n");
        write(sb.toString());
        if (file != null) {
            try {
                file.force(false);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    @Override
    public void started(ScanInfo info) {
        startMillis = info.startMillis();
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n");
        String when = STR.format(Instant.ofEpochMilli(info.startMillis()).atZone(ZoneId.systemDefault()));
        sb.append("<nmaprun scanner=\"portaudit\" args=\"").append(esc(info.args())).append("\" start=\"")
                .append(info.startMillis() / 1000).append("\" startstr=\"").append(esc(when)).append("\" version=\"")
                .append(esc(info.version())).append("\" xmloutputversion=\"1.05\">\n");
        scaninfo(sb, "connect", "tcp", info.tcp());
        scaninfo(sb, "udp", "udp", info.udp());
        sb.append("<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n");
        write(sb.toString());
        markTrailer();
        provisionalTrailer(info.startMillis(), 0);
    }

    private static void scaninfo(StringBuilder sb, String type, String proto, PortSet ports) {
        if (ports == null || ports.isEmpty()) return;
        sb.append("<scaninfo type=\"").append(type).append("\" protocol=\"").append(proto).append("\" numservices=\"")
                .append(ports.size()).append("\" services=\"").append(ports).append("\"/>\n");
    }

    @Override
    public void host(HostReport h) {
        if (h.up()) up++;
        else down++;
        dropTrailer();
        StringBuilder sb = new StringBuilder();
        sb.append("<host starttime=\"").append(h.startMillis() / 1000).append("\" endtime=\"").append(h.endMillis() / 1000)
                .append("\"><status state=\"").append(h.up() ? "up" : "down").append("\" reason=\"").append(esc(h.reason()))
                .append("\" reason_ttl=\"0\"/>\n");
        sb.append("<address addr=\"").append(esc(h.address().replaceAll("%.*", ""))).append("\" addrtype=\"")
                .append(h.address().contains(":") ? "ipv6" : "ipv4").append("\"/>\n<hostnames>\n</hostnames>\n");
        // a host of a discovery-only scan (-sn) has no ports element, as in nmap's XML
        if (h.up() && !h.ports().isEmpty()) {
            Set<PortState> hidden = h.collapsed(NormalOutput.MAX_PER_STATE, openOnly);
            sb.append("<ports>");
            // extraports with nmap 7.80+'s extrareasons ports="..." so consumers can expand them
            Map<PortState, Map<String, Map<io.portaudit.model.Protocol, List<io.portaudit.model.PortRange>>>> ex = new java.util.EnumMap<>(PortState.class);
            for (PortResult r : h.ports()) {
                if (!hidden.contains(r.state())) continue;
                ex.computeIfAbsent(r.state(), k -> new java.util.TreeMap<>()).computeIfAbsent(String.valueOf(r.reason()), k -> new java.util.EnumMap<>(io.portaudit.model.Protocol.class))
                        .computeIfAbsent(r.protocol(), k -> new java.util.ArrayList<>()).add(io.portaudit.model.PortRange.of(r.port()));
            }
            for (var e : ex.entrySet()) {
                int n = e.getValue().values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).sum();
                sb.append("<extraports state=\"").append(e.getKey().label()).append("\" count=\"").append(n).append("\">\n");
                for (var byReason : e.getValue().entrySet()) {
                    for (var byProto : byReason.getValue().entrySet()) {
                        sb.append("<extrareasons reason=\"").append(esc(byReason.getKey())).append("\" count=\"").append(byProto.getValue().size())
                                .append("\" proto=\"").append(byProto.getKey().label()).append("\" ports=\"")
                                .append(PortSet.of(byProto.getValue())).append("\"/>\n");
                    }
                }
                sb.append("</extraports>\n");
            }
            for (PortResult r : h.shown(hidden)) {
                sb.append("<port protocol=\"").append(r.protocol().label()).append("\" portid=\"").append(r.port())
                        .append("\"><state state=\"").append(r.state().label()).append("\" reason=\"").append(esc(r.reason()))
                        .append("\" reason_ttl=\"0\"/>");
                appendServiceAndScripts(sb, r);
                sb.append("</port>\n");
            }
            sb.append("</ports>\n");
        }
        if (h.up() && h.srttUs() >= 0) sb.append("<times srtt=\"").append(h.srttUs()).append("\" rttvar=\"0\" to=\"100000\"/>\n");
        sb.append("</host>\n");
        write(sb.toString());
        markTrailer();
        provisionalTrailer(h.endMillis(), (h.endMillis() - startMillis) / 1000.0);
    }

    @Override
    public void finished(ScanSummary s) {
        writeTrailer(s.endMillis(), s.elapsedSeconds(), s.partial(), s.exitReason());
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A port's {@code <service>} element and its banner and weakness {@code <script>}s (shared with audit.ScanXml). */
    public static void appendServiceAndScripts(StringBuilder sb, PortResult r) {
        if (r.service() != null || r.product() != null) {
            sb.append("<service name=\"").append(esc(r.service() == null ? "unknown" : r.service())).append('"');
            if (r.product() != null) sb.append(" product=\"").append(esc(r.product())).append('"');
            if (r.version() != null) sb.append(" version=\"").append(esc(r.version())).append('"');
            if (r.extraInfo() != null) sb.append(" extrainfo=\"").append(esc(r.extraInfo())).append('"');
            if (r.tunnel() != null) sb.append(" tunnel=\"").append(esc(r.tunnel())).append('"');
            String method = r.method() != null ? r.method() : r.product() != null || r.banner() != null ? "probed" : "table";
            sb.append(" method=\"").append(esc(method))
                    .append("\" conf=\"").append(r.product() != null ? "10" : "3").append('"');
            if (r.cpe().isEmpty()) sb.append("/>");
            else {
                sb.append('>');
                for (String c : r.cpe()) sb.append("<cpe>").append(esc(c)).append("</cpe>");
                sb.append("</service>");
            }
        }
        if (r.banner() != null && !r.banner().isEmpty()) {
            sb.append("<script id=\"banner\" output=\"").append(esc(Text.banner(r.banner(), 2048))).append("\"/>");
        }
        for (io.portaudit.model.Weakness w : r.weaknesses()) {
            sb.append("<script id=\"").append(NmapOutputs.WEAKNESS_SCRIPT).append(esc(w.id())).append("\" output=\"")
                    .append(esc(Text.banner(w.detail() == null ? "" : w.detail(), 2048))).append("\"/>");
        }
    }

    /** XML attribute escaping; characters XML 1.0 forbids become \xNN text. */
    static String esc(String s) {
        return Text.markup(s, true);
    }
}
