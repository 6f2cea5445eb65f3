package io.portaudit.fleet;

import io.portaudit.audit.PolicyLoader;
import io.portaudit.collect.SshTarget;
import io.portaudit.model.BoundedRead;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Severity;
import io.portaudit.scan.PortSpec;
import io.portaudit.scan.ScanPlan;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A fleet file (docs/FLEET.md): the devices to audit and the {@code defaults:} they share, read from YAML or from a
 * CSV file with the same column names (one row per device; a CSV has no defaults section, the command line gives them).
 * Reading never throws on bad content: every entry that cannot be used is a {@link Problem} naming the file and line,
 * and is skipped; the rest is kept. A problem in {@code defaults:} or in the file's structure is {@link Problem#fatal()}:
 * then nothing should run, since every device would be audited other than meant.
 *
 * @param source   the file as named
 * @param defaults the defaults (built-in ones where the file gives none)
 * @param devices  the usable devices, in file order, names unique
 * @param problems what was skipped and why
 */
public record FleetFile(String source, FleetDefaults defaults, List<FleetDevice> devices, List<Problem> problems) {
    /** A fleet file larger than this is refused (64 MiB: far more than 100,000 devices). */
    public static final long MAX_BYTES = 64L << 20;

    public static final List<String> DEVICE_KEYS = List.of("name", "address", "ssh", "key", "known-hosts", "bundle", "scan-only", "scan",
            "model", "profile", "baseline", "policy", "ports");
    public static final List<String> DEFAULT_KEYS = List.of("ports", "timing", "profile", "policy", "fail-on", "timeout",
            "connect-timeout", "command-timeout", "retries", "key", "known-hosts");
    private static final List<String> TIMING_NAMES = List.of("paranoid", "sneaky", "polite", "normal", "aggressive", "insane");

    public FleetFile {
        devices = List.copyOf(devices);
        problems = List.copyOf(problems);
    }

    /** One entry (or the whole file, or a default) that could not be used. */
    public record Problem(String file, int line, String message, boolean fatal) {
        /** {@code fleet.yaml:12: message}. */
        public String format() {
            return io.portaudit.model.Text.printable(file, 200) + (line > 0 ? ":" + line : "") + ": " + io.portaudit.model.Text.terminal(message);
        }
    }

    /** False when a problem makes the whole file unusable (its structure or its defaults). */
    public boolean usable() {
        return problems.stream().noneMatch(Problem::fatal);
    }

    /**
     * Reads a fleet file: CSV when its name ends in {@code .csv}, else YAML. Relative paths in it ({@code bundle},
     * {@code key}, {@code known-hosts}, {@code policy}) are resolved against the file's directory.
     *
     * @throws IOException the file cannot be read (missing, too large, not UTF-8)
     */
    public static FleetFile read(Path file) throws IOException {
        byte[] bytes = BoundedRead.read(file.toString(), MAX_BYTES, BoundedRead.MAX_LINE_BYTES);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text");
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(file.toString(), dir, text, file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"));
    }

    /** Parses a fleet file's text; {@code dir} resolves relative paths. */
    public static FleetFile parse(String source, Path dir, String text, boolean csv) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        Reader r = new Reader(source, dir);
        if (csv) r.csv(text);
        else r.yaml(text);
        return new FleetFile(source, r.defaults, r.devices, r.problems);
    }

    /** A value with the line it is on. */
    record Val(String text, int line) {}

    private static final class Reader {
        final String source;
        final Path dir;
        final List<Problem> problems = new ArrayList<>();
        final List<FleetDevice> devices = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        FleetDefaults defaults = FleetDefaults.none();

        Reader(String source, Path dir) {
            this.source = source;
            this.dir = dir == null ? Path.of(".") : dir;
        }

        void problem(int line, String message, boolean fatal) {
            problems.add(new Problem(source, line, message, fatal));
        }

        // ------------------------------------------------------------ YAML

        void yaml(String text) {
            LoaderOptions o = new LoaderOptions();
            o.setMaxAliasesForCollections(50);
            o.setAllowDuplicateKeys(false);
            o.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, MAX_BYTES));
            o.setNestingDepthLimit(20);
            Node root;
            try {
                root = new Yaml(o).compose(new StringReader(text));
            } catch (MarkedYAMLException e) {
                int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
                problem(line, io.portaudit.model.L10n.t("fleet.f.yaml", String.valueOf(e.getProblem()).replace('\n', ' ')), true);
                return;
            } catch (YAMLException e) {
                problem(0, io.portaudit.model.L10n.t("fleet.f.yaml", String.valueOf(e.getMessage()).replace('\n', ' ')), true);
                return;
            }
            if (root == null) {
                problem(1, io.portaudit.model.L10n.t("fleet.f.empty"), true);
                return;
            }
            if (!(root instanceof MappingNode m)) {
                problem(line(root), io.portaudit.model.L10n.t("fleet.f.notmapping"), true);
                return;
            }
            Node devs = null;
            Set<String> seen = new HashSet<>();
            for (NodeTuple t : m.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                if (key == null || !seen.add(key)) {
                    problem(line(t.getKeyNode()), key == null ? io.portaudit.model.L10n.t("fleet.f.plainkey") : io.portaudit.model.L10n.t("fleet.f.twice", key), true);
                    continue;
                }
                switch (key) {
                    case "defaults" -> defaults(t.getValueNode());
                    case "devices" -> devs = t.getValueNode();
                    case "version" -> {
                        if (!(t.getValueNode() instanceof ScalarNode s) || !s.getValue().equals("1")) {
                            problem(line(t.getValueNode()), io.portaudit.model.L10n.t("fleet.f.version"), true);
                        }
                    }
                    default -> problem(line(t.getKeyNode()), io.portaudit.model.L10n.t("fleet.f.unknowntop", key), true);
                }
            }
            if (devs == null) {
                problem(1, io.portaudit.model.L10n.t("fleet.f.nodevices"), true);
                return;
            }
            if (devs instanceof ScalarNode s && s.getValue().isEmpty()) return;   // "devices:" with nothing
            if (!(devs instanceof SequenceNode seq)) {
                problem(line(devs), io.portaudit.model.L10n.t("fleet.f.devicesnotlist"), true);
                return;
            }
            for (Node n : seq.getValue()) {
                Map<String, Val> fields = mapping(n, io.portaudit.model.L10n.t("fleet.f.adevice"));
                if (fields != null) device(fields, line(n));
            }
        }

        /** A mapping of scalars, each with its line; null (and a problem) when it is not one. */
        Map<String, Val> mapping(Node n, String what) {
            if (!(n instanceof MappingNode m)) {
                problem(line(n), io.portaudit.model.L10n.t("fleet.f.entrymapping", what) + io.portaudit.model.L10n.t("fleet.f.sfx.cskipped"), false);
                return null;
            }
            Map<String, Val> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    problem(line(t.getKeyNode()), what + ": " + io.portaudit.model.L10n.t("fleet.f.plainkeyentry"), false);
                    return null;
                }
                if (!(t.getValueNode() instanceof ScalarNode v)) {
                    problem(line(t.getValueNode()), what + ": " + io.portaudit.model.L10n.t("fleet.f.single", k.getValue()) + io.portaudit.model.L10n.t("fleet.f.sfx.entry"), false);
                    return null;
                }
                if (out.put(k.getValue(), new Val(v.getValue(), line(v))) != null) {
                    problem(line(k), what + ": " + io.portaudit.model.L10n.t("fleet.f.twice", k.getValue()) + io.portaudit.model.L10n.t("fleet.f.sfx.entry"), false);
                    return null;
                }
            }
            return out;
        }

        static int line(Node n) {
            return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
        }

        void defaults(Node n) {
            int before = problems.size();
            Map<String, Val> f = mapping(n, "defaults");
            if (f == null) {
                // mapping() reported it as an entry problem; for defaults it is fatal
                Problem p = problems.remove(problems.size() - 1);
                problem(p.line(), p.message().replace(io.portaudit.model.L10n.t("fleet.f.sfx.entry"), io.portaudit.model.L10n.t("fleet.f.sfx.nothing")).replace(io.portaudit.model.L10n.t("fleet.f.sfx.cskipped"), ""), true);
                return;
            }
            String ports = null, profile = null, knownHostsText = null;
            Integer timing = null;
            Path policy = null, key = null, knownHosts = null;
            Severity failOn = null;
            FleetDefaults d = FleetDefaults.none();
            Duration timeout = d.timeout(), connect = d.connectTimeout(), command = d.commandTimeout();
            int retries = d.retries();
            for (var e : f.entrySet()) {
                String k = e.getKey();
                Val v = e.getValue();
                String where = "defaults: " + k;
                try {
                    switch (k) {
                        case "ports" -> ports = ports(v.text());
                        case "timing" -> timing = timing(v.text());
                        case "profile" -> profile = profile(v.text());
                        case "policy" -> policy = dir.resolve(v.text());
                        case "fail-on" -> failOn = severity(v.text());
                        case "timeout" -> timeout = ScanPlan.positive(v.text(), where);
                        case "connect-timeout" -> connect = ScanPlan.positive(v.text(), where);
                        case "command-timeout" -> command = ScanPlan.positive(v.text(), where);
                        case "retries" -> retries = count(v.text(), 0, 10);
                        case "key" -> key = dir.resolve(v.text());
                        case "known-hosts", "known_hosts" -> knownHosts = dir.resolve(knownHostsText = v.text());
                        default -> throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.unknownkey", String.join(", ", DEFAULT_KEYS)));
                    }
                } catch (IllegalArgumentException | ScanPlan.InvalidScan ex) {
                    String m = ex.getMessage();
                    problem(v.line(), (m.startsWith(where) ? m : where + ": " + m) + io.portaudit.model.L10n.t("fleet.f.sfx.nothing"), true);
                }
            }
            if (profile != null && policy != null) problem(line(n), "defaults: " + io.portaudit.model.L10n.t("fleet.f.profilepolicy") + io.portaudit.model.L10n.t("fleet.f.sfx.nothing"), true);
            if (problems.size() == before) {
                defaults = new FleetDefaults(ports, timing, profile, policy, failOn, timeout, connect, command, retries, key, knownHosts);
            }
        }

        // ------------------------------------------------------------ CSV

        void csv(String text) {
            List<Csv.Row> rows;
            try {
                rows = Csv.parse(text);
            } catch (Csv.CsvException e) {
                problem(e.line, e.getMessage(), true);
                return;
            }
            if (rows.isEmpty()) {
                problem(1, io.portaudit.model.L10n.t("fleet.f.emptycsv"), true);
                return;
            }
            Csv.Row header = rows.get(0);
            List<String> cols = new ArrayList<>();
            for (String h : header.cells()) {
                String c = h.strip().toLowerCase(Locale.ROOT).replace('_', '-');
                if (c.equals("known-hosts")) c = "known-hosts";
                if (!DEVICE_KEYS.contains(c)) {
                    problem(header.line(), io.portaudit.model.L10n.t("fleet.f.column", h.strip(), String.join(", ", DEVICE_KEYS)), true);
                    return;
                }
                if (cols.contains(c)) {
                    problem(header.line(), io.portaudit.model.L10n.t("fleet.f.columntwice", c), true);
                    return;
                }
                cols.add(c);
            }
            if (!cols.contains("name")) {
                problem(header.line(), io.portaudit.model.L10n.t("fleet.f.noname"), true);
                return;
            }
            for (Csv.Row row : rows.subList(1, rows.size())) {
                if (row.cells().stream().allMatch(String::isBlank)) continue;
                if (row.cells().size() > cols.size()) {
                    problem(row.line(), io.portaudit.model.L10n.t("fleet.f.cells", row.cells().size(), cols.size()), false);
                    continue;
                }
                Map<String, Val> f = new LinkedHashMap<>();
                for (int i = 0; i < row.cells().size(); i++) {
                    String v = row.cells().get(i).strip();
                    if (!v.isEmpty()) f.put(cols.get(i), new Val(v, row.line()));
                }
                device(f, row.line());
            }
        }

        // ------------------------------------------------------------ one device

        void device(Map<String, Val> f, int line) {
            String label = f.containsKey("name") ? io.portaudit.model.L10n.t("fleet.f.device", f.get("name").text()) : io.portaudit.model.L10n.t("fleet.f.devicebare");
            try {
                for (String k : f.keySet()) {
                    if (!DEVICE_KEYS.contains(k) && !k.equals("known_hosts")) {
                        throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.unknowndevkey", k, String.join(", ", DEVICE_KEYS)));
                    }
                }
                String name = text(f, "name");
                if (name == null) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.noname1"));
                if (!name.matches("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}")) {
                    throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.badname", name));
                }
                if (name.matches("[0-9]+")) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.digits", name));
                String address = text(f, "address");
                if (address != null && !address.matches("[A-Za-z0-9.:%_-]{1,253}")) {
                    throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.address", address));
                }
                String ssh = text(f, "ssh");
                if (ssh != null) {
                    try {
                        SshTarget.parse(ssh, "root");
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("ssh '" + ssh + "': " + e.getMessage());
                    }
                }
                Path bundle = path(f, "bundle");
                boolean scanOnly = bool(f, "scan-only", false);
                boolean scan = bool(f, "scan", true);
                int ways = (ssh != null ? 1 : 0) + (bundle != null ? 1 : 0) + (scanOnly ? 1 : 0);
                if (ways == 0) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.how"));
                if (ways > 1) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.onlyone"));
                if (scanOnly && address == null) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.scanonlyaddr"));
                if (scanOnly && !scan) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.scanonlyfalse"));
                String ports = text(f, "ports");
                if (ports != null) ports = ports(ports);
                String profile = text(f, "profile");
                if (profile != null) profile = profile(profile);
                Path policy = path(f, "policy");
                if (profile != null && policy != null) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.profilepolicy"));
                Path kh = path(f, "known-hosts");
                if (kh == null) kh = path(f, "known_hosts");
                FleetDevice d = new FleetDevice(name, address, ssh, path(f, "key"), kh, bundle, scanOnly, scan, text(f, "model"), profile,
                        text(f, "baseline"), policy, ports, line);
                if (!names.add(name.toLowerCase(Locale.ROOT))) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.nameused", name));
                devices.add(d);
            } catch (IllegalArgumentException e) {
                problem(line, label + ": " + e.getMessage() + io.portaudit.model.L10n.t("fleet.f.sfx.skipped"), false);
            }
        }

        static String text(Map<String, Val> f, String k) {
            Val v = f.get(k);
            return v == null || v.text().isBlank() ? null : v.text().strip();
        }

        Path path(Map<String, Val> f, String k) {
            String t = text(f, k);
            if (t == null) return null;
            if (t.indexOf('\0') >= 0) throw new IllegalArgumentException(k + ": not a file name");
            try {
                return dir.resolve(t).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(k + " '" + t + "': not a file name");
            }
        }

        static boolean bool(Map<String, Val> f, String k, boolean dflt) {
            String t = text(f, k);
            if (t == null) return dflt;
            return switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw new IllegalArgumentException(k + " must be true or false, not '" + t + "'");
            };
        }
    }

    static String ports(String text) {
        PortSpec p = PortSpec.parse(text, ServiceNames.defaults());
        if (!p.ok()) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.ports", text, p.problems().get(0).message()));
        if (p.tcp().isEmpty() && p.udp().isEmpty()) throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.noports", text));
        return text;
    }

    static Severity severity(String text) {
        try {
            return Severity.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.severity", text));
        }
    }

    static Integer timing(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("-t")) t = t.substring(2);
        else if (t.startsWith("t")) t = t.substring(1);
        if (t.matches("[0-5]")) return Integer.parseInt(t);
        int i = TIMING_NAMES.indexOf(t);
        if (i >= 0) return i;
        throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.timing", String.join(", ", TIMING_NAMES), text));
    }

    static String profile(String text) {
        String p = text.strip().toLowerCase(Locale.ROOT);
        if (!PolicyLoader.PROFILES.contains(p)) {
            throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.profile", text, String.join(", ", PolicyLoader.PROFILES)));
        }
        return p;
    }

    static int count(String text, int lo, int hi) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= lo && n <= hi) return n;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException(io.portaudit.model.L10n.t("fleet.f.number", lo + ".." + hi, text));
    }
}
