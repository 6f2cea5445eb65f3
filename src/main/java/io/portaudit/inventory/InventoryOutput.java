package io.portaudit.inventory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.model.Listener;
import io.portaudit.model.ModelJson;
import io.portaudit.model.Owner;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Text;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Formats an inventory: a table like {@code ss -tulpn} with owner, user, unit/container and scope; or JSON. */
public final class InventoryOutput {
    private InventoryOutput() {}

    /** The inventory document: listeners, remarks, problems, each in the model's one JSON mapping (docs/FORMATS.md). */
    public static ObjectNode json(List<Listener> listeners, List<String> remarks, List<ParseProblem> problems) {
        return json(listeners, java.util.Map.of(), remarks, problems);
    }

    /**
     * The inventory document with {@code namespaces}: every network namespace the listeners are in, by the kernel's id
     * ({@code net:[INODE]}, each listener's {@code netns}) and the name the text table shows ({@link NetnsNames}: the
     * {@code ip netns} name, the container, {@code current}; null when it has none), with its number of listeners.
     */
    public static ObjectNode json(List<Listener> listeners, java.util.Map<String, String> netnsNames, List<String> remarks, List<ParseProblem> problems) {
        ObjectMapper m = ModelJson.mapper();
        ObjectNode root = m.createObjectNode();
        root.set("listeners", m.valueToTree(listeners));
        com.fasterxml.jackson.databind.node.ArrayNode ns = root.putArray("namespaces");
        namespaces(listeners).forEach((id, n) -> ns.addObject().put("netns", id).put("name", netnsNames.get(id)).put("listeners", n));
        root.set("remarks", m.valueToTree(remarks));
        root.set("problems", m.valueToTree(problems));
        return root;
    }

    /** Each namespace the listeners are in, in order of first appearance, with its number of listeners. */
    private static java.util.Map<String, Integer> namespaces(List<Listener> listeners) {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (Listener l : listeners) if (l.netns() != null) out.merge(l.netns(), 1, Integer::sum);
        return out;
    }

    /** {@link #jsonText(List, java.util.Map, List, List)} with no namespace names. */
    public static String jsonText(List<Listener> listeners, List<String> remarks, List<ParseProblem> problems) {
        return jsonText(listeners, java.util.Map.of(), remarks, problems);
    }

    /**
     * The same document as {@link #json(List, java.util.Map, List, List)}, pretty-printed, streamed listener by listener
     * (no tree of thousands of listeners is built).
     */
    public static String jsonText(List<Listener> listeners, java.util.Map<String, String> netnsNames, List<String> remarks, List<ParseProblem> problems) {
        ObjectMapper m = ModelJson.mapper();
        StringWriter sw = new StringWriter(listeners.size() * 600 + 256);
        try (JsonGenerator g = m.createGenerator(sw)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("listeners");
            for (Listener l : listeners) m.writeValue(g, l);
            g.writeEndArray();
            g.writeArrayFieldStart("namespaces");
            for (var e : namespaces(listeners).entrySet()) {
                g.writeStartObject();
                g.writeStringField("netns", e.getKey());
                g.writeStringField("name", netnsNames.get(e.getKey()));
                g.writeNumberField("listeners", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("remarks");
            m.writeValue(g, remarks);
            g.writeFieldName("problems");
            m.writeValue(g, problems);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /** {@link Text#printable} at 120 characters, without copying the (usual) text that needs nothing. */
    private static String printable(String s) {
        if (s.length() > 120) return Text.printable(s, 120);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return Text.printable(s, 120);
        }
        return s;
    }

    /** The table; {@code showNetns} adds the namespace column (when more than one was read). */
    public static void text(List<Listener> listeners, boolean showNetns, PrintWriter out) {
        text(listeners, showNetns, java.util.Map.of(), out);
    }

    /** The table, each namespace shown by its name in {@code netnsNames} ({@link NetnsNames}) when it has one. */
    public static void text(List<Listener> listeners, boolean showNetns, java.util.Map<String, String> netnsNames, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(showNetns
                ? new String[] {"Netid", "State", "Local Address:Port", "Scope", "Process", "User", "Unit/Container", "Netns"}
                : new String[] {"Netid", "State", "Local Address:Port", "Scope", "Process", "User", "Unit/Container"});
        for (Listener l : listeners) {
            String addr = l.endpoint();
            if (l.iface() != null && (l.scope() == io.portaudit.model.BindScope.LINK_LOCAL)) {
                addr = "[" + l.address() + "]%" + l.iface() + ":" + l.port();
            }
            List<String> procs = new ArrayList<>(1), users = new ArrayList<>(1), units = new ArrayList<>(1);
            for (Owner o : l.owners()) {
                procs.add((o.comm() == null ? "?" : o.comm()) + "[" + (o.pid() == null ? "?" : o.pid()) + "]");
                if (o.user() != null && !users.contains(o.user())) users.add(o.user());
                String u = o.container() != null ? o.container() : o.unit();
                if (u != null && !units.contains(u)) units.add(u);
            }
            String scope = l.scope() == null ? "?" : l.scope().label();
            if (l.iface() != null && l.scope() == io.portaudit.model.BindScope.SPECIFIC) scope += "(" + l.iface() + ")";
            String[] row = {l.protocol().label(), l.state(), addr, scope, procs.isEmpty() ? "-" : String.join(",", procs),
                users.isEmpty() ? "-" : String.join(",", users), units.isEmpty() ? "-" : String.join(",", units),
                l.netns() == null ? "-" : netnsNames.getOrDefault(l.netns(), l.netns())};
            for (int i = 0; i < row.length; i++) row[i] = printable(row[i]);
            rows.add(showNetns ? row : java.util.Arrays.copyOf(row, 7));
        }
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        // one write: the PrintWriter may flush on every println (thousands of write calls)
        StringBuilder all = new StringBuilder(rows.size() * 100);
        String nl = System.lineSeparator();
        for (String[] r : rows) {
            int lineStart = all.length();
            for (int i = 0; i < cols; i++) {
                all.append(r[i]);
                if (i < cols - 1) for (int pad = w[i] - r[i].length() + 2; pad > 0; pad--) all.append(' ');
            }
            int end = all.length();
            while (end > lineStart && all.charAt(end - 1) == ' ') end--;
            all.setLength(end);
            all.append(nl);
        }
        out.write(all.toString());
    }
}
