package io.portaudit.collect;

import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what the SSH collector and a bundle bring back into one {@link DeviceSnapshot}, the same way:
 * a probe whose tool is missing (exit 127, nothing on stdout) becomes a note, not an empty capture (an
 * empty "ruleset" would read as "no firewall"); a failed or cut one is kept and noted.
 */
final class SnapshotBuilder {
    private final String source;
    private final List<Capture> captures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> exitByKind = new LinkedHashMap<>();
    private boolean partial;

    SnapshotBuilder(String source) {
        this.source = source;
    }

    /** Records one probe result; returns the capture, or null when it became a note. */
    Capture add(String kind, String command, Integer exit, String stdout, String stderr, Instant at, String netns,
                boolean truncated) {
        exitByKind.putIfAbsent(kind, exit);
        if (exit != null && exit == CaptureCommands.NOT_FOUND && stdout.isBlank() && !truncated) {
            // podman is optional: a device without it runs no podman containers, and there is nothing to say
            if (!kind.equals(DeviceSnapshot.KIND_PODMAN_PS)) {
                notes.add(firstWord(command) + " is not available on the device: its output is not part of this audit");
            }
            return null;
        }
        Capture c = new Capture(kind, command, exit, stdout, stderr, at, source, truncated, netns);
        captures.add(c);
        if (truncated) {
            partial = true;
            notes.add(command + ": incomplete (" + oneLine(stderr) + ")");
        } else if (exit != null && exit != 0) {
            notes.add(command + " failed (exit " + exit + ")" + (stderr.isBlank() ? "" : ": " + oneLine(stderr)));
        }
        return c;
    }

    /** The exit status seen for the first probe of {@code kind}; null when it never ran. */
    Integer exitOf(String kind) {
        return exitByKind.get(kind);
    }

    void note(String note) {
        notes.add(note);
    }

    void partial(String why) {
        partial = true;
        notes.add(why);
    }

    boolean isPartial() {
        return partial;
    }

    DeviceSnapshot build(String host, Instant at) {
        return new DeviceSnapshot(source, host, at, captures, partial, notes);
    }

    static String oneLine(String s) {
        String t = s.strip().replace('\n', ' ').replace('\r', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private static String firstWord(String command) {
        int sp = command.indexOf(' ');
        return sp < 0 ? command : command.substring(0, sp);
    }

    /** A namespace and a process in it through which its tables are read. */
    record Netns(String id, String member) {}

    /** One framed table from {@link CaptureCommands#procTablesBody}: complete when its {@code <==} line arrived. */
    record Table(String member, String table, Integer exit, String text, String message, boolean complete) {}

    /** Splits the framed output of {@link CaptureCommands#procTablesBody}; text outside frames is ignored. */
    static List<Table> splitTables(String out) {
        List<Table> tables = new ArrayList<>();
        String member = null;
        String table = null;
        StringBuilder text = null;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("==> ")) {
                if (text != null) tables.add(new Table(member, table, null, text.toString(), "", false));
                String[] f = line.substring(4).split(" ");
                if (f.length == 2 && (f[0].equals("self") || f[0].matches("[0-9]{1,10}")) && f[1].matches("[a-z0-9_]{1,16}")) {
                    member = f[0];
                    table = f[1];
                    text = new StringBuilder();
                } else {
                    text = null;
                }
            } else if (line.startsWith("<== ") && text != null) {
                String[] f = line.substring(4).split(" ", 2);
                Integer exit = f[0].matches("[0-9]{1,3}") ? Integer.valueOf(f[0]) : null;
                tables.add(new Table(member, table, exit, text.toString(), f.length > 1 ? f[1] : "", exit != null));
                text = null;
            } else if (text != null) {
                text.append(line).append('\n');
            }
        }
        if (text != null) tables.add(new Table(member, table, null, text.toString(), "", false));
        return tables;
    }

    /** The collector's own namespace: the {@code self} line; null when unknown. */
    static String ownNetns(List<Netns> list) {
        return list.stream().filter(n -> n.member().equals("self")).map(Netns::id).findFirst().orElse(null);
    }

    /** Parses the {@link CaptureCommands#DeviceSnapshot.KIND_NETNS_LIST} text; drops lines that are not {@code NETNS<TAB>PID|self}. */
    static List<Netns> parseNetnsList(String text) {
        List<Netns> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split("\t");
            if (f.length != 2) continue;
            String member = f[1].strip();
            if (!member.equals("self") && !member.matches("[0-9]{1,10}")) continue;
            String id = f[0].strip();
            if (id.isEmpty() || id.length() > 64) continue;
            out.add(new Netns(id.equals("-") ? null : id, member));
        }
        return out;
    }
}
