package io.portaudit.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code portaudit --version}: the version from the jar manifest, and the Java runtime. */
public class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "portaudit " + (v == null ? "(development build)" : v),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
