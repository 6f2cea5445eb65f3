package io.portaudit.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.model.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A fleet device's entry and the defaults as JSON, as the run tables keep them ({@code fleet_device.spec},
 * {@code fleet_run.defaults}): a resumed run, or a worker on another PC, audits exactly what the file said when the
 * run was made. Paths are absolute (resolved against the fleet file when it was read).
 */
public final class FleetJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetJson() {}

    public static String write(FleetDevice d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", d.name());
        put(n, "address", d.address());
        put(n, "ssh", d.ssh());
        put(n, "key", d.key());
        put(n, "knownHosts", d.knownHosts());
        put(n, "bundle", d.bundle());
        n.put("scanOnly", d.scanOnly());
        n.put("scan", d.scan());
        put(n, "model", d.model());
        put(n, "profile", d.profile());
        put(n, "baseline", d.baseline());
        put(n, "policy", d.policy());
        put(n, "ports", d.ports());
        n.put("line", d.line());
        return n.toString();
    }

    public static FleetDevice device(String json) {
        JsonNode n = tree(json);
        return new FleetDevice(str(n, "name"), str(n, "address"), str(n, "ssh"), path(n, "key"), path(n, "knownHosts"), path(n, "bundle"),
                n.path("scanOnly").asBoolean(false), n.path("scan").asBoolean(true), str(n, "model"), str(n, "profile"), str(n, "baseline"),
                path(n, "policy"), str(n, "ports"), n.path("line").asInt(0));
    }

    public static String write(FleetDefaults d) {
        ObjectNode n = JSON.createObjectNode();
        put(n, "ports", d.ports());
        if (d.timing() != null) n.put("timing", d.timing());
        put(n, "profile", d.profile());
        put(n, "policy", d.policy());
        put(n, "failOn", d.failOn() == null ? null : d.failOn().name());
        n.put("timeoutMs", d.timeout().toMillis());
        n.put("connectTimeoutMs", d.connectTimeout().toMillis());
        n.put("commandTimeoutMs", d.commandTimeout().toMillis());
        n.put("retries", d.retries());
        put(n, "key", d.key());
        put(n, "knownHosts", d.knownHosts());
        return n.toString();
    }

    public static FleetDefaults defaults(String json) {
        JsonNode n = tree(json);
        FleetDefaults x = FleetDefaults.none();
        return new FleetDefaults(str(n, "ports"), n.hasNonNull("timing") ? n.get("timing").asInt() : null, str(n, "profile"), path(n, "policy"),
                str(n, "failOn") == null ? null : Severity.parse(str(n, "failOn")),
                Duration.ofMillis(n.path("timeoutMs").asLong(x.timeout().toMillis())),
                Duration.ofMillis(n.path("connectTimeoutMs").asLong(x.connectTimeout().toMillis())),
                Duration.ofMillis(n.path("commandTimeoutMs").asLong(x.commandTimeout().toMillis())), n.path("retries").asInt(x.retries()),
                path(n, "key"), path(n, "knownHosts"));
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a fleet JSON document: " + e.getMessage());
        }
    }

    private static void put(ObjectNode n, String k, Object v) {
        if (v != null) n.put(k, v.toString());
    }

    private static String str(JsonNode n, String k) {
        return n.hasNonNull(k) ? n.get(k).asText() : null;
    }

    private static Path path(JsonNode n, String k) {
        return n.hasNonNull(k) ? Path.of(n.get(k).asText()) : null;
    }
}
