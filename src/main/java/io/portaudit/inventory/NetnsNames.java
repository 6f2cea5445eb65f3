package io.portaudit.inventory;

import io.portaudit.model.Listener;
import io.portaudit.model.Owner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names for network namespaces, which the kernel knows only by inode ({@code net:[4026532245]}): the
 * name {@code ip netns add} gave it (its bind mount in {@code /run/netns}), else the container its
 * processes run in, else {@code current} for portaudit's own; an unnamed one keeps its inode.
 */
public final class NetnsNames {
    private NetnsNames() {}

    /** Where {@code ip netns} keeps its namespaces (iproute2's NETNS_RUN_DIR, and the older path). */
    public static final List<Path> IP_NETNS_DIRS = List.of(Path.of("/run/netns"), Path.of("/var/run/netns"));

    /** {@code net:[INODE]} → the {@code ip netns} name of each namespace mounted in {@code dirs}. */
    public static Map<String, String> ipNetns(List<Path> dirs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    try {
                        Object ino = Files.getAttribute(p, "unix:ino");
                        out.putIfAbsent("net:[" + ino + "]", p.getFileName().toString());
                    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                        // a stale entry (its namespace gone) or no unix view: that namespace stays unnamed
                    }
                }
            } catch (IOException e) {
                // unreadable directory: no names from it
            }
        }
        return out;
    }

    /**
     * The label of every namespace the listeners are in: its {@code ip netns} name, else the one container all of
     * its owners run in ({@code podman:ID}), else {@code current} for {@code currentNetns}; others are absent.
     */
    public static Map<String, String> labels(List<Listener> listeners, Map<String, String> ipNetns, String currentNetns) {
        Map<String, String> containers = new LinkedHashMap<>();
        Map<String, Boolean> mixed = new LinkedHashMap<>();
        for (Listener l : listeners) {
            if (l.netns() == null) continue;
            for (Owner o : l.owners()) {
                String c = o.container() == null || o.container().isBlank() ? "" : o.container();
                String before = containers.putIfAbsent(l.netns(), c);
                if (before != null && !before.equals(c)) mixed.put(l.netns(), true);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Listener l : listeners) {
            String ns = l.netns();
            if (ns == null || out.containsKey(ns)) continue;
            String name = ipNetns.get(ns);
            if (name == null && !mixed.containsKey(ns) && containers.get(ns) != null && !containers.get(ns).isEmpty()) name = containers.get(ns);
            if (name == null && ns.equals(currentNetns)) name = "current";
            if (name != null) out.put(ns, name);
        }
        return out;
    }
}
