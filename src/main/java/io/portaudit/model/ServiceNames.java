package io.portaudit.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Service names in both directions ({@code http} ⇄ 80/tcp), as {@code iptables -L}, {@code netstat}
 * and nmap print them. The base table is generated from the IANA registry ({@code tools/gen-services});
 * a services file in {@code /etc/services} format layered on top overrides it, because a device's
 * names may differ from this machine's. A name nobody knows is an error, never a guess.
 */
public final class ServiceNames {
    private static final String IANA_RESOURCE = "/io/portaudit/model/iana-services.tsv";
    public static final Path SYSTEM_SERVICES = Path.of("/etc/services");

    private static volatile ServiceNames iana;
    private static volatile ServiceNames defaults;

    private final Map<Protocol, Map<String, Integer>> byName = new EnumMap<>(Protocol.class);
    private final Map<Protocol, Map<Integer, String>> byPort = new EnumMap<>(Protocol.class);

    private ServiceNames() {
        for (Protocol p : Protocol.values()) {
            byName.put(p, new HashMap<>());
            byPort.put(p, new HashMap<>());
        }
    }

    private ServiceNames(ServiceNames base) {
        this();
        for (Protocol p : Protocol.values()) {
            byName.get(p).putAll(base.byName.get(p));
            byPort.get(p).putAll(base.byPort.get(p));
        }
    }

    /** The IANA registry table alone. */
    public static ServiceNames iana() {
        ServiceNames t = iana;
        if (t == null) {
            synchronized (ServiceNames.class) {
                if (iana == null) iana = loadIana();
                t = iana;
            }
        }
        return t;
    }

    /** IANA, overridden by this machine's {@code /etc/services} when it is readable. */
    public static ServiceNames defaults() {
        ServiceNames t = defaults;
        if (t == null) {
            synchronized (ServiceNames.class) {
                if (defaults == null) {
                    ServiceNames merged = iana();
                    if (Files.isReadable(SYSTEM_SERVICES)) {
                        try {
                            merged = merged.withServicesFile(SYSTEM_SERVICES, new Problems());
                        } catch (IOException e) {
                            // an unreadable /etc/services leaves the IANA table, which is complete
                        }
                    }
                    defaults = merged;
                }
                t = defaults;
            }
        }
        return t;
    }

    private static ServiceNames loadIana() {
        ServiceNames t = new ServiceNames();
        String text;
        try (InputStream in = ServiceNames.class.getResourceAsStream(IANA_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + IANA_RESOURCE);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // name TAB port TAB protocol, 11,000 lines read at every start: split by hand (measured:
        // a reader, String.split and Protocol.parse per line cost ~15 ms of a run)
        String table = text;
        Text.dataLines(table, (start, eol) -> {
            int tab1 = table.indexOf('\t', start), tab2 = tab1 < 0 ? -1 : table.indexOf('\t', tab1 + 1);
            if (tab2 < 0 || tab2 > eol) throw new IllegalStateException(IANA_RESOURCE + ": bad line " + table.substring(start, eol));
            Protocol p = table.startsWith("tcp", tab2 + 1) ? Protocol.TCP : table.startsWith("udp", tab2 + 1) ? Protocol.UDP : null;
            if (p != null) t.define(table.substring(start, tab1), Integer.parseInt(table, tab1 + 1, tab2, 10), p, false);
        });
        return t;
    }

    /** This table with the entries of an {@code /etc/services}-format file layered on top. */
    public ServiceNames withServicesFile(Path file, Problems problems) throws IOException {
        try {
            return withServicesText(file.toString(), new String(BoundedRead.read(file.toString()), StandardCharsets.ISO_8859_1), problems);
        } catch (BoundedRead.TooLarge e) {
            throw new BoundedRead.TooLarge(file + ": " + e.getMessage());
        }
    }

    /**
     * Layers {@code /etc/services} text on top: {@code name port/proto [aliases...] [# comment]}.
     * Lines it cannot read are reported with their number and skipped.
     */
    public ServiceNames withServicesText(String source, String text, Problems problems) {
        ServiceNames t = new ServiceNames(this);
        Map<Protocol, Map<Integer, String>> firstInFile = new EnumMap<>(Protocol.class);
        for (Protocol p : Protocol.values()) firstInFile.put(p, new HashMap<>());
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String body = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (body.isEmpty()) continue;
            String[] f = Text.fields(body);
            if (f.length < 2 || !f[1].contains("/")) {
                problems.add(ParseProblem.error(source, i + 1, 1, line, L10n.t("pp.expected", "name port/protocol [aliases]")));
                continue;
            }
            String[] pp = f[1].split("/", 2);
            Protocol proto = Protocol.parse(pp[1]);
            if (proto == null) continue; // sctp, ddp ...: not ports portaudit audits
            int port;
            try {
                port = Integer.parseInt(pp[0]);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                problems.add(ParseProblem.error(source, i + 1, line.indexOf(f[1]) + 1, line, L10n.t("pp.services.port", pp[0])));
                continue;
            }
            boolean canonical = firstInFile.get(proto).putIfAbsent(port, f[0]) == null;
            t.define(f[0], port, proto, canonical);
            for (int k = 2; k < f.length; k++) t.define(f[k], port, proto, false);
        }
        return t;
    }

    private void define(String name, int port, Protocol p, boolean canonicalOverride) {
        String key = name.toLowerCase(Locale.ROOT);
        byName.get(p).put(key, port);
        if (canonicalOverride) byPort.get(p).put(port, name);
        else byPort.get(p).putIfAbsent(port, name);
    }

    /** The port a name stands for, e.g. {@code x11} → 6000/tcp; empty when nobody knows it. */
    public OptionalInt port(String name, Protocol protocol) {
        Integer v = byName.get(protocol).get(name.toLowerCase(Locale.ROOT));
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** The port a name stands for under either protocol (tcp first), for {@code -p http,ssh}. */
    public OptionalInt port(String name) {
        OptionalInt t = port(name, Protocol.TCP);
        return t.isPresent() ? t : port(name, Protocol.UDP);
    }

    /** The canonical name of a port, e.g. 80/tcp → {@code http}. */
    public Optional<String> name(int port, Protocol protocol) {
        return Optional.ofNullable(byPort.get(protocol).get(port));
    }

    /**
     * Reads a port token as listings print it: a number, or a service name. A name nobody knows is
     * reported as an error at its place and gives an empty result — never a guess.
     */
    public OptionalInt resolve(String token, Protocol protocol, String source, int line, int column, String lineText,
                               Problems problems) {
        if (!token.isEmpty() && token.chars().allMatch(Character::isDigit)) {
            try {
                int v = Integer.parseInt(token);
                if (v >= 0 && v <= 65535) return OptionalInt.of(v);
            } catch (NumberFormatException ignored) {
                // fall through to the error
            }
            problems.add(ParseProblem.error(source, line, column, lineText, L10n.t("pp.services.range", token)));
            return OptionalInt.empty();
        }
        OptionalInt v = port(token, protocol);
        if (v.isEmpty()) {
            problems.add(ParseProblem.error(source, line, column, lineText,
                    L10n.t("pp.services.unknown", token, protocol.label())));
        }
        return v;
    }
}
