package io.portaudit.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.model.Listener;
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
    /** Created on first use: the text table should not pay for Jackson's start-up. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private InventoryOutput() {}

    public static ObjectNode json(List<Listener> listeners, List<String> remarks, List<ParseProblem> problems) {
        ObjectNode root = Mapper.JSON.createObjectNode();
        ArrayNode arr = root.putArray("listeners");
        for (Listener l : listeners) arr.add(json(l));
        ArrayNode r = root.putArray("remarks");
        remarks.forEach(r::add);
        ArrayNode p = root.putArray("problems");
        for (ParseProblem pp : problems) {
            ObjectNode o = p.addObject();
            o.put("source", pp.source());
            o.put("line", pp.line());
            o.put("column", pp.column());
            o.put("severity", pp.severity().name().toLowerCase(java.util.Locale.ROOT));
            o.put("message", pp.message());
            o.put("text", pp.text());
        }
        return root;
    }

    public static ObjectNode json(Listener l) {
        ObjectNode o = Mapper.JSON.createObjectNode();
        o.put("protocol", l.protocol().label());
        o.put("family", l.family().label());
        o.put("address", l.address());
        o.put("port", l.port());
        o.put("scope", l.scope() == null ? null : l.scope().label());
        if (l.dualStack() == null) o.putNull("dualStack");
        else o.put("dualStack", l.dualStack());
        o.put("state", l.state());
        o.put("inode", l.inode());
        o.put("netns", l.netns());
        o.put("iface", l.iface());
        o.put("note", l.note());
        o.put("source", l.source());
        ArrayNode owners = o.putArray("owners");
        for (Owner w : l.owners()) {
            ObjectNode ow = owners.addObject();
            if (w.pid() == null) ow.putNull("pid");
            else ow.put("pid", w.pid());
            ow.put("comm", w.comm());
            ow.put("cmdline", w.cmdline());
            ow.put("user", w.user());
            if (w.uid() == null) ow.putNull("uid");
            else ow.put("uid", w.uid());
            ow.put("unit", w.unit());
            ow.put("container", w.container());
            ow.put("exe", w.exe());
            ow.put("started", w.started() == null ? null : w.started().toString());
            ow.put("note", w.note());
        }
        return o;
    }

    /**
     * The same document as {@link #json(List, List, List)}, written with Jackson's streaming generator:
     * no tree and no ObjectMapper start-up (a quarter second for a cold JVM with thousands of listeners).
     */
    public static String jsonText(List<Listener> listeners, List<String> remarks, List<ParseProblem> problems) {
        StringWriter sw = new StringWriter(listeners.size() * 600 + 256);
        try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("listeners");
            for (Listener l : listeners) write(g, l);
            g.writeEndArray();
            g.writeArrayFieldStart("remarks");
            for (String r : remarks) g.writeString(r);
            g.writeEndArray();
            g.writeArrayFieldStart("problems");
            for (ParseProblem pp : problems) {
                g.writeStartObject();
                g.writeStringField("source", pp.source());
                g.writeNumberField("line", pp.line());
                g.writeNumberField("column", pp.column());
                g.writeStringField("severity", pp.severity().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("message", pp.message());
                g.writeStringField("text", pp.text());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private static void write(JsonGenerator g, Listener l) throws IOException {
        g.writeStartObject();
        g.writeStringField("protocol", l.protocol().label());
        g.writeStringField("family", l.family().label());
        g.writeStringField("address", l.address());
        g.writeNumberField("port", l.port());
        g.writeStringField("scope", l.scope() == null ? null : l.scope().label());
        g.writeFieldName("dualStack");
        if (l.dualStack() == null) g.writeNull();
        else g.writeBoolean(l.dualStack());
        g.writeStringField("state", l.state());
        g.writeNumberField("inode", l.inode());
        g.writeStringField("netns", l.netns());
        g.writeStringField("iface", l.iface());
        g.writeStringField("note", l.note());
        g.writeStringField("source", l.source());
        g.writeArrayFieldStart("owners");
        for (Owner w : l.owners()) {
            g.writeStartObject();
            g.writeFieldName("pid");
            if (w.pid() == null) g.writeNull();
            else g.writeNumber(w.pid());
            g.writeStringField("comm", w.comm());
            g.writeStringField("cmdline", w.cmdline());
            g.writeStringField("user", w.user());
            g.writeFieldName("uid");
            if (w.uid() == null) g.writeNull();
            else g.writeNumber(w.uid());
            g.writeStringField("unit", w.unit());
            g.writeStringField("container", w.container());
            g.writeStringField("exe", w.exe());
            g.writeStringField("started", w.started() == null ? null : w.started().toString());
            g.writeStringField("note", w.note());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
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
                l.netns() == null ? "-" : l.netns()};
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
