package io.portaudit.lab;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/** Checks that lab tests can run here: root, iproute2, network namespaces. */
public final class LabExtension implements BeforeAllCallback {
    private static volatile String unavailable;
    private static volatile boolean checked;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!checked) {
            synchronized (LabExtension.class) {
                if (!checked) {
                    unavailable = Lab.whyUnavailable();
                    checked = true;
                }
            }
        }
        if (unavailable != null) cannotRun(unavailable);
    }

    /**
     * A test that needs a tool or package: when it is missing the test fails under CI=true (test.sh
     * installs everything) and is skipped with the reason elsewhere — never silently.
     */
    public static void require(boolean present, String what) {
        if (!present) cannotRun(what + " is missing (sudo ./test.sh installs it)");
    }

    /** In CI a lab test that cannot start fails; elsewhere it is skipped with the reason. */
    public static void cannotRun(String why) {
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("lab test cannot run (CI=true makes this a failure): " + why);
        }
        throw new TestAbortedException("lab test skipped: " + why + " (run as root: sudo ./test.sh)");
    }
}
