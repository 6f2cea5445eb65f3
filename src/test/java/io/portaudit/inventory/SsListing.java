package io.portaudit.inventory;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reduces {@code ss -Htulpn} output and inventory JSON to comparable "protocol address port [pids]" rows. */
final class SsListing {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private SsListing() {}

    static Set<String> fromSs(String ssOutput) {
        Set<String> rows = new TreeSet<>();
        for (String line : ssOutput.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            String local = f[4];
            int c = local.lastIndexOf(':');
            String host = local.substring(0, c).replace("[", "").replace("]", "");
            if (host.equals("*")) host = "::";
            int pct = host.indexOf('%');
            if (pct >= 0) host = host.substring(0, pct);
            Matcher m = PID.matcher(line);
            Set<String> pids = new TreeSet<>();
            while (m.find()) pids.add(m.group(1));
            rows.add(f[0] + " " + host + " " + local.substring(c + 1) + " " + pids);
        }
        return rows;
    }

    static Set<String> fromInventory(com.fasterxml.jackson.databind.JsonNode json) {
        Set<String> rows = new TreeSet<>();
        for (var l : json.path("listeners")) {
            Set<String> pids = new TreeSet<>();
            for (var o : l.path("owners")) pids.add(o.path("pid").asText());
            rows.add(l.path("protocol").asText() + " " + l.path("address").asText() + " " + l.path("port").asText() + " " + pids);
        }
        return rows;
    }
}
