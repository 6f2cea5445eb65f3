package io.portaudit.inventory;

import java.util.HashMap;
import java.util.Map;

/** uid → user name from {@code /etc/passwd} text (injected, so a device's own file can be used). */
public final class Passwd {
    public static final Passwd EMPTY = new Passwd(Map.of());
    private final Map<Integer, String> names;

    private Passwd(Map<Integer, String> names) {
        this.names = names;
    }

    public static Passwd parse(String text) {
        Map<Integer, String> m = new HashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length < 3 || line.startsWith("#")) continue;
                try {
                    m.putIfAbsent(Integer.parseInt(f[2].strip()), f[0]);
                } catch (NumberFormatException ignored) {
                    // a broken line names nobody
                }
            }
        }
        return new Passwd(Map.copyOf(m));
    }

    /** The name, or the number as text when the file does not know it (as ps does). */
    public String name(Integer uid) {
        if (uid == null) return null;
        return names.getOrDefault(uid, String.valueOf(uid));
    }
}
