package io.portaudit.inventory;

import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.Listener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

final class Fixtures {
    private Fixtures() {}

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/inventory/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Capture capture(String kind, String name) {
        return new Capture(kind, name, null, read(name), "", Instant.EPOCH, name, false);
    }

    static DeviceSnapshot snapshot(Capture... caps) {
        return new DeviceSnapshot("input", null, Instant.EPOCH, List.of(caps), false, List.of());
    }

    /** "tcp 0.0.0.0 21" keys, sorted, for set comparisons. */
    static Set<String> keys(List<Listener> ls) {
        Set<String> s = new TreeSet<>();
        for (Listener l : ls) s.add(l.protocol().label() + " " + l.address() + " " + l.port());
        return s;
    }
}
