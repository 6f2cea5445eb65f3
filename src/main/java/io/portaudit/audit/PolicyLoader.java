package io.portaudit.audit;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.PortRange;
import io.portaudit.model.Protocol;
import io.portaudit.model.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/** Reads policy YAML files and the built-in profiles. Every error names the file and the key. */
public final class PolicyLoader {
    public static final List<String> PROFILES = List.of("armadillo-iot-g3", "armadillo-iot-g3l", "armadillo-x1",
            "armadillo-iot-g2", "armadillo-440", "armadillo-840", "production-minimal");
    private static final int MAX_POLICY_BYTES = 1024 * 1024;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    /**
     * YAML's implicit timestamps are not resolved: SnakeYAML builds them through a lenient calendar,
     * which turns 2027-13-45 into 2028-02-14. Dates stay strings and are parsed strictly here.
     */
    private static final class NoTimestamps extends Resolver {
        @Override
        public void addImplicitResolver(Tag tag, Pattern regexp, String first, int limit) {
            if (!Tag.TIMESTAMP.equals(tag)) super.addImplicitResolver(tag, regexp, first, limit);
        }
    }

    private PolicyLoader() {}

    /** A policy problem: the file, the place and what is wrong. */
    public static final class PolicyException extends Exception {
        public PolicyException(String message) {
            super(message);
        }
    }

    public static Policy load(Path file) throws PolicyException {
        try {
            byte[] bytes = io.portaudit.model.BoundedRead.read(file.toString(), MAX_POLICY_BYTES, io.portaudit.model.BoundedRead.MAX_LINE_BYTES);
            return parse(file.toString(), new String(bytes, StandardCharsets.UTF_8));
        } catch (io.portaudit.model.BoundedRead.TooLarge e) {
            throw new PolicyException(file + ": policy file: " + e.getMessage());
        } catch (IOException e) {
            throw new PolicyException("cannot read policy " + file + ": " + e.getMessage());
        }
    }

    public static Policy profile(String name) throws PolicyException {
        String key = name.toLowerCase(Locale.ROOT);
        if (!PROFILES.contains(key)) {
            throw new PolicyException("unknown profile '" + name + "'; built-in profiles: " + String.join(", ", PROFILES));
        }
        try (InputStream in = PolicyLoader.class.getResourceAsStream("/io/portaudit/audit/profiles/" + key + ".yaml")) {
            if (in == null) throw new PolicyException("profile resource missing: " + key);
            return parse("profile " + key, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PolicyException("cannot read profile " + key + ": " + e.getMessage());
        }
    }

    static Policy parse(String source, String text) throws PolicyException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_POLICY_BYTES);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
                    new NoTimestamps()).load(text);
        } catch (YAMLException e) {
            throw new PolicyException(source + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (doc == null) doc = Map.of();
        if (!(doc instanceof Map<?, ?> root)) throw new PolicyException(source + ": a policy is a YAML mapping (key: value)");
        Set<String> known = Set.of("version", "product", "description", "allow", "fail-on", "gate", "severity", "exceptions");
        for (Object k : root.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                throw new PolicyException(source + ": unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
        Object version = root.get("version");
        if (version != null && !"1".equals(String.valueOf(version))) {
            throw new PolicyException(source + ": policy version " + version + " is newer than this portaudit understands (1)");
        }
        List<Policy.Allow> allow = new ArrayList<>();
        int i = 0;
        for (Object o : list(source, root.get("allow"), "allow")) {
            i++;
            String where = source + ": allow[" + i + "]";
            Map<?, ?> m = o instanceof Map<?, ?> mm ? mm : Map.of("port", o);
            Object[] pp = portSpec(where, str(m.get("port")));
            String fam = str(m.get("family"));
            allow.add(new Policy.Allow((Protocol) pp[0], (PortRange) pp[1], family(where, fam), str(m.get("program")),
                    str(m.get("comment"))));
        }
        Severity failOn = root.get("fail-on") == null ? Severity.HIGH : severity(source + ": fail-on", str(root.get("fail-on")));
        Set<String> gate = new HashSet<>();
        for (Object o : list(source, root.get("gate"), "gate")) gate.add(checkId(source + ": gate", String.valueOf(o)));
        Map<String, Severity> sev = new HashMap<>();
        Object sm = root.get("severity");
        if (sm != null) {
            if (!(sm instanceof Map<?, ?> smm)) throw new PolicyException(source + ": severity is a mapping of finding id to severity");
            for (Map.Entry<?, ?> e : smm.entrySet()) {
                sev.put(checkId(source + ": severity", String.valueOf(e.getKey())), severity(source + ": severity." + e.getKey(), str(e.getValue())));
            }
        }
        List<Policy.Exception> exceptions = new ArrayList<>();
        i = 0;
        for (Object o : list(source, root.get("exceptions"), "exceptions")) {
            i++;
            String where = source + ": exceptions[" + i + "]";
            if (!(o instanceof Map<?, ?> m)) throw new PolicyException(where + ": an exception is a mapping (finding, port, reason, expires)");
            String id = checkId(where, str(m.get("finding")));
            String reason = str(m.get("reason"));
            if (reason == null || reason.isBlank()) throw new PolicyException(where + ": an exception needs a reason");
            Object[] pp = m.get("port") == null ? new Object[] {null, null} : portSpec(where, str(m.get("port")));
            LocalDate expires = null;
            Object ex = m.get("expires");
            if (ex != null) {
                try {
                    // strict: 2027-13-45 or 2027-02-30 is an error, never rolled over into another date
                    if (ex instanceof java.util.Date) throw new DateTimeParseException("explicit timestamp", String.valueOf(ex), 0);
                    expires = LocalDate.parse(String.valueOf(ex).trim(), DATE);
                } catch (DateTimeParseException e) {
                    throw new PolicyException(where + ": expires must be a date YYYY-MM-DD, not '" + ex + "'");
                }
            }
            exceptions.add(new Policy.Exception(id, (Protocol) pp[0], (PortRange) pp[1], reason, expires));
        }
        return new Policy(str(root.get("product")), str(root.get("description")), allow, failOn, gate, sev, exceptions, source);
    }

    private static List<?> list(String source, Object o, String key) throws PolicyException {
        if (o == null) return List.of();
        if (o instanceof List<?> l) return l;
        throw new PolicyException(source + ": " + key + " must be a list");
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o).trim();
    }

    /** {@code tcp/80}, {@code udp/1024-65535}. */
    static Object[] portSpec(String where, String spec) throws PolicyException {
        if (spec == null) throw new PolicyException(where + ": port is required, e.g. tcp/80 or udp/1024-65535");
        String[] pp = spec.split("/", 2);
        Protocol p = pp.length == 2 ? Protocol.parse(pp[0]) : null;
        if (p == null) throw new PolicyException(where + ": port '" + spec + "' must be PROTOCOL/PORT[-PORT], e.g. tcp/80");
        try {
            String[] r = pp[1].split("-", 2);
            int from = Integer.parseInt(r[0].trim());
            int to = r.length == 2 ? Integer.parseInt(r[1].trim()) : from;
            if (from < 1) throw new IllegalArgumentException();
            return new Object[] {p, new PortRange(from, to)};
        } catch (RuntimeException e) {
            throw new PolicyException(where + ": bad port range in '" + spec + "' (1-65535)");
        }
    }

    private static AddressFamily family(String where, String f) throws PolicyException {
        if (f == null || f.equals("both") || f.equals("any")) return null;
        return switch (f.toLowerCase(Locale.ROOT)) {
            case "ipv4", "v4", "4" -> AddressFamily.IPV4;
            case "ipv6", "v6", "6" -> AddressFamily.IPV6;
            default -> throw new PolicyException(where + ": family must be ipv4, ipv6 or both, not '" + f + "'");
        };
    }

    private static Severity severity(String where, String s) throws PolicyException {
        try {
            return Severity.parse(s);
        } catch (RuntimeException e) {
            throw new PolicyException(where + ": severity must be one of info, low, medium, high, critical, not '" + s + "'");
        }
    }

    private static String checkId(String where, String id) throws PolicyException {
        if (id == null || !FindingCatalog.IDS.containsKey(id)) {
            throw new PolicyException(where + ": unknown finding id '" + id + "' (see docs/FINDINGS.md)");
        }
        return id;
    }

    /** For the JSON report: the policy as a plain map. */
    static Map<String, Object> describe(Policy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("product", p.product());
        m.put("source", p.source());
        m.put("failOn", p.failOn().label());
        m.put("allow", p.allow().stream().map(Policy.Allow::label).toList());
        return m;
    }
}
