package io.portaudit.store;

import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a device is. It is keyed on what identifies the hardware, never on an address: the serial, else
 * {@code /etc/machine-id}, else the MAC of the first physical interface, else a name given with {@code --device},
 * else (pasted outputs without identity) the content hash of the result. Model, firmware, hostname and addresses
 * are attributes that may change from one audit to the next.
 */
public record DeviceIdentity(String name, String serial, String machineId, String mac, String model, String firmware,
                             String hostname, List<String> addresses) {
    private static final Pattern INET = Pattern.compile("^\\s*inet6?\\s+([0-9a-fA-F.:]+)(?:/\\d+)?\\s.*?(?:scope\\s+(\\S+))?.*$");

    public DeviceIdentity {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    public static DeviceIdentity named(String name) {
        return new DeviceIdentity(name, null, null, null, null, null, null, List.of());
    }

    /** A key when the hardware (or a given name) identifies the device; null otherwise. */
    public String key() {
        if (serial != null) return "serial:" + serial;
        if (machineId != null) return "machine-id:" + machineId;
        if (mac != null) return "mac:" + mac;
        if (name != null) return "name:" + name;
        return null;
    }

    public boolean hardware() {
        return serial != null || machineId != null || mac != null;
    }

    public DeviceIdentity withName(String n) {
        return new DeviceIdentity(n, serial, machineId, mac, model, firmware, hostname, addresses);
    }

    /** The identity facts a snapshot carries ({@link DeviceSnapshot#KIND_DEVICE_ID}, os-release, ip addr). */
    public static DeviceIdentity of(DeviceSnapshot snap) {
        String serial = null, machineId = null, mac = null, model = null, hostname = null, firmware = null;
        for (Capture c : snap.all(DeviceSnapshot.KIND_DEVICE_ID)) {
            for (String line : c.stdout().split("\n")) {
                String[] f = line.strip().split("\t");
                if (f.length < 2 || f[1].isBlank()) continue;
                String v = f[1].strip();
                switch (f[0]) {
                    case "serial" -> serial = serial == null ? v : serial;
                    case "machine-id" -> machineId = machineId == null ? v : machineId;
                    case "mac" -> mac = mac == null ? v.toLowerCase(java.util.Locale.ROOT) : mac;
                    case "model" -> model = model == null ? v : model;
                    case "hostname" -> hostname = hostname == null ? v : hostname;
                    default -> { }
                }
            }
        }
        for (Capture c : snap.all(DeviceSnapshot.KIND_OS_RELEASE)) {
            String pretty = null, version = null;
            for (String line : c.stdout().split("\n")) {
                if (line.startsWith("PRETTY_NAME=")) pretty = unquote(line.substring(12));
                if (line.startsWith("VERSION_ID=")) version = unquote(line.substring(11));
            }
            firmware = pretty != null ? pretty : version;
        }
        Set<String> addrs = new LinkedHashSet<>();
        for (Capture c : snap.all(DeviceSnapshot.KIND_IP_ADDR)) {
            for (String line : c.stdout().split("\n")) {
                Matcher m = INET.matcher(line);
                if (!m.matches()) continue;
                if ("host".equals(m.group(2)) || m.group(1).startsWith("127.") || m.group(1).equals("::1")) continue;
                addrs.add(m.group(1));
            }
        }
        if (hostname == null && snap.host() != null && !snap.source().equals("input")) hostname = snap.host();
        return new DeviceIdentity(null, serial, machineId, mac, model, firmware, hostname, new ArrayList<>(addrs));
    }

    private static String unquote(String s) {
        s = s.strip();
        if (s.length() >= 2 && (s.startsWith("\"") || s.startsWith("'")) && s.endsWith(s.substring(0, 1))) return s.substring(1, s.length() - 1);
        return s;
    }
}
