package io.portaudit.scan;

import io.portaudit.model.L10n;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.model.InputText;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.Text;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads scans made elsewhere — nmap normal output ({@code -oN} or what nmap printed, as in the
 * seed), nmap XML ({@code -oX}, also portaudit's), portaudit's JSON lines — into port results plus
 * the "Not shown" aggregate. Never throws, never does I/O: what it cannot read is a
 * {@link ParseProblem} with its line.
 */
public final class NmapOutputs {
    public static final String NORMAL = "nmap-normal";
    public static final String XML = "nmap-xml";
    public static final String JSON_LINES = "portaudit-jsonl";

    private NmapOutputs() {}

    /**
     * Ports nmap did not list one by one ("Not shown: 841 closed ports"). {@code protocol} null when
     * not said; {@code ports} the exact ports when the output names them (nmap 7.80+ and portaudit
     * XML: {@code <extrareasons ports="...">}), else null.
     */
    public record NotShown(String address, PortState state, int count, Protocol protocol, String reason,
                           io.portaudit.model.PortSet ports) {
        public NotShown(String address, PortState state, int count, Protocol protocol, String reason) {
            this(address, state, count, protocol, reason, null);
        }
    }

    /** Everything read from one scan output. */
    public record ScanImport(String format, List<PortResult> ports, List<NotShown> notShown, List<String> hostsUp,
                             List<ParseProblem> problems) {
        public ScanImport {
            ports = List.copyOf(ports);
            notShown = List.copyOf(notShown);
            hostsUp = List.copyOf(hostsUp);
            problems = List.copyOf(problems);
        }

        /** Count of ports in a state, listed and not shown together. */
        public int count(PortState s) {
            int n = (int) ports.stream().filter(p -> p.state() == s).count();
            for (NotShown x : notShown) if (x.state() == s) n += x.count();
            return n;
        }
    }

    /** Which format a text is in, or empty if none of ours. */
    public static Optional<String> detect(String text) {
        if (text == null) return Optional.empty();
        text = InputText.normalize(text);
        String head = text.length() > 4096 ? text.substring(0, 4096) : text;
        String t = head.stripLeading();
        if (t.startsWith("<?xml") || t.startsWith("<nmaprun") || head.contains("<nmaprun")) return Optional.of(XML);
        if (t.startsWith("{") && head.contains("\"type\"")) return Optional.of(JSON_LINES);
        if (head.contains("Nmap scan report for") || head.contains("portaudit scan report for")
                || head.contains("Interesting ports on") || Pattern.compile("(?m)^PORT\\s+STATE\\s+SERVICE").matcher(head).find()) {
            return Optional.of(NORMAL);
        }
        return Optional.empty();
    }

    public static ScanImport read(String source, String text) {
        text = InputText.normalize(text);
        Optional<String> f = detect(text);
        if (f.isEmpty()) {
            return new ScanImport("unknown", List.of(), List.of(), List.of(),
                    List.of(ParseProblem.error(source, 1, 1, text == null ? "" : Text.lines(text)[0],
                            L10n.t("pp.scan.format"))));
        }
        return switch (f.get()) {
            case XML -> readXml(source, text);
            case JSON_LINES -> readJsonLines(source, text);
            default -> readNormal(source, text);
        };
    }

    private static final Pattern REPORT = Pattern.compile("^(?:Nmap|portaudit) scan report for (.+?)\\s*$");
    private static final Pattern INTERESTING = Pattern.compile("^Interesting ports on (.+?):?\\s*$");
    private static final Pattern NOT_SHOWN = Pattern.compile("(\\d+) ([a-z|]+)(?: (tcp|udp|tcp/udp))? ports?(?: \\(([^)]*)\\))?");
    private static final Pattern ALL_PORTS = Pattern.compile("^All (\\d+) scanned ports on (.+?) are (?:in ignored states|([a-z|]+))");
    private static final Pattern PORT_LINE = Pattern.compile("^(\\d{1,5})/(tcp|udp|sctp)\\s+(\\S+)(?:\\s+(\\S+))?(?:\\s+(.*?))?\\s*$");

    /** nmap normal output: report blocks, "Not shown", PORT STATE SERVICE [REASON] [VERSION] lines. */
    public static ScanImport readNormal(String source, String text) {
        text = InputText.normalize(text);
        Problems problems = new Problems();
        List<PortResult> ports = new ArrayList<>();
        List<NotShown> notShown = new ArrayList<>();
        List<String> up = new ArrayList<>();
        String address = null;
        boolean reasonColumn = false, sawHeader = false;
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            int no = i + 1;
            Matcher m;
            int ctl = control(line);
            if (ctl >= 0) {
                // a damaged line: said with its column, then read with the byte as a separator so a port is not lost
                problems.add(ParseProblem.error(source, no, ctl + 1, line, L10n.t("pp.scan.control", String.format("0x%02x", (int) line.charAt(ctl)))));
                line = line.replaceAll("[\\x00-\\x08\\x0a-\\x1f\\x7f]", " ");
            }
            if ((m = REPORT.matcher(line)).find() || (m = INTERESTING.matcher(line)).find()) {
                address = hostAddress(m.group(1));
                sawHeader = false;
                continue;
            }
            if (line.startsWith("Host is up")) {
                if (address != null && !up.contains(address)) up.add(address);
                continue;
            }
            if (line.startsWith("Not shown:")) {
                for (String part : line.substring("Not shown:".length()).split(",(?![^(]*\\))")) {
                    Matcher n = NOT_SHOWN.matcher(part.trim());
                    PortState s = n.matches() ? PortState.parse(n.group(2)) : null;
                    if (s == null) {
                        problems.add(ParseProblem.warning(source, no, line.indexOf(part.trim()) + 1, line, L10n.t("pp.scan.notshown")));
                        continue;
                    }
                    Protocol proto = n.group(3) == null || n.group(3).contains("/") ? null : Protocol.parse(n.group(3));
                    notShown.add(new NotShown(address, s, Integer.parseInt(n.group(1)), proto, n.group(4)));
                }
                continue;
            }
            if ((m = ALL_PORTS.matcher(line)).find()) {
                if (m.group(3) != null) {
                    PortState s = PortState.parse(m.group(3));
                    if (s != null) notShown.add(new NotShown(hostAddress(m.group(2)), s, Integer.parseInt(m.group(1)), null, null));
                }
                continue;
            }
            if (line.matches("^PORT\\s+STATE\\s+SERVICE.*")) {
                sawHeader = true;
                reasonColumn = line.matches(".*\\sREASON(\\s.*)?$");
                continue;
            }
            if ((m = PORT_LINE.matcher(line)).find()) {
                if (!sawHeader && address == null) continue;
                int port = Integer.parseInt(m.group(1));
                Protocol proto = Protocol.parse(m.group(2));
                PortState s = PortState.parse(m.group(3));
                if (proto == null || port < 1 || port > 65535) {
                    problems.add(ParseProblem.warning(source, no, 1, line, L10n.t("pp.scan.unsupported")));
                    continue;
                }
                if (s == null) {
                    problems.add(ParseProblem.error(source, no, line.indexOf(m.group(3)) + 1, line,
                            L10n.t("pp.scan.state", m.group(3))));
                    s = PortState.OPEN_FILTERED;
                }
                String service = m.group(4);
                String rest = m.group(5);
                String reason = null, version = null;
                if (reasonColumn && rest != null) {
                    String[] rv = rest.split("\\s+", 2);
                    reason = rv[0];
                    version = rv.length > 1 ? rv[1] : null;
                } else version = rest == null || rest.isEmpty() ? null : rest;
                ports.add(new PortResult(address == null ? "" : address, proto, port, s, reason, service, version, null, null));
                continue;
            }
            if (sawHeader && line.startsWith("|")) {
                // script output; portaudit's proven weaknesses: "| 22/tcp portaudit-ssh-weak-algorithms: kex ..."
                Matcher w = WEAKNESS_LINE.matcher(line);
                if (w.matches()) {
                    for (int k = ports.size() - 1; k >= 0; k--) {
                        PortResult r = ports.get(k);
                        if (r.port() == Integer.parseInt(w.group(1)) && r.protocol() == Protocol.parse(w.group(2))) {
                            List<io.portaudit.model.Weakness> ws = new ArrayList<>(r.weaknesses());
                            ws.add(new io.portaudit.model.Weakness(w.group(3), w.group(4)));
                            ports.set(k, r.identified(r.service(), r.product(), r.version(), r.extraInfo(), r.tunnel(), r.cpe(), r.method(),
                                    r.banner(), ws));
                            break;
                        }
                    }
                }
                continue;
            }
            if (line.isBlank()) {
                sawHeader = false; // the port table ends at a blank line
                continue;
            }
            if (sawHeader && (Character.isDigit(line.charAt(0)) || line.contains("/tcp") || line.contains("/udp"))) {
                // inside the port table, a line that names a port but cannot be read may hide an open port
                problems.add(ParseProblem.error(source, no, 1, line, L10n.t("pp.scan.portline")));
            }
        }
        ParseProblem cut = Text.cutAtEnd(source, text);
        if (cut != null) problems.add(cut);
        return new ScanImport(NORMAL, ports, notShown, up, problems.list());
    }

    /** The index of the first control character other than tab, or -1. */
    private static int control(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) return i;
        }
        return -1;
    }

    /** "name (1.2.3.4)" → 1.2.3.4; anything else as written. */
    private static String hostAddress(String s) {
        Matcher m = Pattern.compile("\\(([^()]+)\\)\\s*$").matcher(s);
        String a = m.find() ? m.group(1) : s;
        return a.replace(" [host down]", "").trim();
    }

    private static final Pattern WEAKNESS_LINE = Pattern.compile("\\| (\\d+)/(tcp|udp) portaudit-([a-z0-9-]+): (.*)");

    /** The script id prefix of a proven weakness in -oX and the line prefix in -oN ({@code portaudit-snmp-community-public}). */
    public static final String WEAKNESS_SCRIPT = "portaudit-";

    /** nmap XML: host/address, ports/port/state/service, extraports. DTDs and external entities are never loaded. */
    public static ScanImport readXml(String source, String text) {
        text = InputText.normalize(text);
        Problems problems = new Problems();
        List<PortResult> ports = new ArrayList<>();
        List<NotShown> notShown = new ArrayList<>();
        List<String> up = new ArrayList<>();
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            javax.xml.parsers.SAXParser parser = f.newSAXParser();
            org.xml.sax.Locator[] where = new org.xml.sax.Locator[1];
            // nmap's XML has a bare <!DOCTYPE nmaprun>: a document that declares entities is refused at the
            // first declaration, before any expansion (an entity bomb is named as one, not as a broken file)
            parser.setProperty("http://xml.org/sax/properties/declaration-handler", new org.xml.sax.ext.DefaultHandler2() {
                @Override
                public void internalEntityDecl(String name, String value) throws SAXException {
                    throw new EntityDeclared(name, where[0]);
                }

                @Override
                public void externalEntityDecl(String name, String publicId, String systemId) throws SAXException {
                    throw new EntityDeclared(name, where[0]);
                }
            });
            parser.parse(new InputSource(new StringReader(text)), new DefaultHandler() {
                @Override
                public void setDocumentLocator(org.xml.sax.Locator locator) {
                    where[0] = locator;
                }

                String address, portProto, state, reason, service, product, version, banner, extraInfo, tunnel, method;
                List<String> cpe = new ArrayList<>();
                List<io.portaudit.model.Weakness> weaknesses = new ArrayList<>();
                StringBuilder text;
                int port = -1;
                PortState extraState;
                int extraCount, extraReasons;
                boolean hostUp;

                @Override
                public void startElement(String uri, String local, String name, Attributes a) {
                    switch (name) {
                        case "host" -> {
                            address = null;
                            hostUp = false;
                        }
                        case "status" -> hostUp = "up".equals(a.getValue("state"));
                        case "address" -> {
                            String t = a.getValue("addrtype");
                            if (address == null && (t == null || t.startsWith("ipv"))) address = a.getValue("addr");
                            if (hostUp && address != null && !up.contains(address)) up.add(address);
                        }
                        case "port" -> {
                            portProto = a.getValue("protocol");
                            try {
                                port = Integer.parseInt(a.getValue("portid"));
                            } catch (NumberFormatException e) {
                                port = -1;
                            }
                            state = reason = service = product = version = banner = extraInfo = tunnel = method = null;
                            cpe = new ArrayList<>();
                            weaknesses = new ArrayList<>();
                        }
                        case "state" -> {
                            state = a.getValue("state");
                            reason = a.getValue("reason");
                        }
                        case "service" -> {
                            service = a.getValue("name");
                            product = a.getValue("product");
                            version = a.getValue("version");
                            extraInfo = a.getValue("extrainfo");
                            tunnel = a.getValue("tunnel");
                            method = a.getValue("method");
                        }
                        case "cpe" -> text = new StringBuilder();
                        case "script" -> {
                            String id = a.getValue("id");
                            if ("banner".equals(id)) banner = a.getValue("output");
                            // portaudit's -sV weaknesses, one script each (nmap tools show them as script output)
                            else if (id != null && id.startsWith(WEAKNESS_SCRIPT) && port > 0) {
                                weaknesses.add(new io.portaudit.model.Weakness(id.substring(WEAKNESS_SCRIPT.length()), a.getValue("output")));
                            }
                        }
                        case "extraports" -> {
                            extraState = PortState.parse(a.getValue("state"));
                            extraReasons = 0;
                            try {
                                extraCount = Integer.parseInt(a.getValue("count"));
                            } catch (NumberFormatException e) {
                                extraCount = -1;
                                problems.add(ParseProblem.warning(source, 0, 0, "", L10n.t("pp.scan.extracount")));
                            }
                        }
                        case "extrareasons" -> {
                            if (extraState == null) return;
                            extraReasons++;
                            int n;
                            try {
                                n = Integer.parseInt(a.getValue("count"));
                            } catch (NumberFormatException e) {
                                n = extraCount;
                            }
                            String ps = a.getValue("ports");
                            io.portaudit.model.PortSet set = null;
                            if (ps != null) {
                                PortSpec spec = PortSpec.parse(ps, io.portaudit.model.ServiceNames.iana());
                                if (spec.ok()) set = spec.tcp();
                                else problems.add(ParseProblem.warning(source, 0, 0, ps, L10n.t("pp.scan.extrareasons")));
                            }
                            notShown.add(new NotShown(address, extraState, n, Protocol.parse(a.getValue("proto")), a.getValue("reason"), set));
                        }
                        default -> { }
                    }
                }

                @Override
                public void characters(char[] ch, int start, int length) {
                    if (text != null && text.length() < 1024) text.append(ch, start, length);
                }

                @Override
                public void endElement(String uri, String local, String name) {
                    if (name.equals("cpe")) {
                        if (text != null && port > 0 && !text.toString().isBlank()) cpe.add(text.toString().trim());
                        text = null;
                        return;
                    }
                    if (name.equals("extraports")) {
                        // no per-reason detail: the aggregate alone
                        if (extraState != null && extraReasons == 0 && extraCount >= 0) notShown.add(new NotShown(address, extraState, extraCount, null, null));
                        extraState = null;
                        return;
                    }
                    if (!name.equals("port")) return;
                    Protocol p = Protocol.parse(portProto);
                    PortState s = PortState.parse(state);
                    if (p == null || port < 1 || port > 65535) {
                        problems.add(ParseProblem.warning(source, 0, 0, portProto + "/" + port, L10n.t("pp.scan.port")));
                        return;
                    }
                    if (s == null) {
                        problems.add(ParseProblem.error(source, 0, 0, String.valueOf(state), L10n.t("pp.scan.state.xml")));
                        s = PortState.OPEN_FILTERED;
                    }
                    ports.add(new PortResult(address == null ? "" : address, p, port, s, reason, service, product, version, extraInfo, tunnel,
                            cpe, method, banner, weaknesses));
                }
            });
        } catch (EntityDeclared e) {
            problems.add(ParseProblem.error(source, e.line, e.column, "", L10n.t("pp.xml.doctype", Text.printable(e.name, 40))));
        } catch (SAXParseException e) {
            // the JDK's own limits (entity expansions, entity sizes, element depth) are named as such
            boolean limit = e.getMessage() != null && e.getMessage().contains("JAXP0");
            problems.add(ParseProblem.error(source, e.getLineNumber(), e.getColumnNumber(), "", limit
                    ? L10n.t("pp.xml.limit", e.getMessage())
                    : L10n.t("pp.xml.notwellformed", e.getMessage())));
        } catch (Exception e) {
            problems.add(ParseProblem.error(source, 0, 0, "", L10n.t("pp.xml.cannot", e.getMessage())));
        }
        return new ScanImport(XML, ports, notShown, up, problems.list());
    }

    /** An entity declaration in an nmap XML file: refused. */
    private static final class EntityDeclared extends SAXException {
        final String name;
        final int line, column;

        EntityDeclared(String name, org.xml.sax.Locator at) {
            super("entity declared: " + name);
            this.name = name;
            this.line = at == null ? 0 : at.getLineNumber();
            this.column = at == null ? 0 : at.getColumnNumber();
        }
    }

    private static final ObjectMapper M = new ObjectMapper();

    /** portaudit's {@code --json} lines. */
    public static ScanImport readJsonLines(String source, String text) {
        text = InputText.normalize(text);
        Problems problems = new Problems();
        List<PortResult> ports = new ArrayList<>();
        List<String> up = new ArrayList<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.isEmpty()) continue;
            try {
                JsonNode n = M.readTree(l);
                String type = n.path("type").asText("");
                if (type.equals("port")) {
                    Protocol p = Protocol.parse(n.path("protocol").asText());
                    PortState s = PortState.parse(n.path("state").asText());
                    int port = n.path("port").asInt(-1);
                    if (p == null || s == null || port < 1 || port > 65535) {
                        problems.add(ParseProblem.error(source, i + 1, 1, l, L10n.t("pp.jsonl.port")));
                        continue;
                    }
                    // the model's one mapping reads the record back (JsonLinesOutput wrote it with the same)
                    com.fasterxml.jackson.databind.node.ObjectNode o = ((com.fasterxml.jackson.databind.node.ObjectNode) n).deepCopy();
                    o.remove("type");
                    if (!o.hasNonNull("address")) o.put("address", "");
                    ports.add(io.portaudit.model.ModelJson.mapper().treeToValue(o, PortResult.class));
                } else if (type.equals("host") && "up".equals(n.path("status").asText())) {
                    up.add(n.path("address").asText());
                }
            } catch (Exception e) {
                problems.add(ParseProblem.error(source, i + 1, 1, l, L10n.t("pp.jsonl.object", e.getMessage())));
            }
        }
        return new ScanImport(JSON_LINES, ports, List.of(), up, problems.list());
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }
}
