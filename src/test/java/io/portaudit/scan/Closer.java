package io.portaudit.scan;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sockets a loopback test opens (servers, their accepted connections, answering sockets), closed after each test
 * whatever it ended with; {@code @RegisterExtension final Closer resources = new Closer();}, then {@code resources.add(s)}.
 */
final class Closer implements AfterEachCallback {
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    /** Keeps {@code c} to be closed after the test; returns it. */
    <T extends AutoCloseable> T add(T c) {
        open.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // test cleanup: the next one is still closed
            }
        }
        open.clear();
    }
}
