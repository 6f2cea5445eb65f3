package io.portaudit.store;

import io.portaudit.cli.MainTest;

/** Runs portaudit in this JVM, capturing its output. */
final class Cli {
    /** The run's result, as every CLI test reads it. */
    static MainTest.Run run(String... args) {
        return MainTest.run(args);
    }

    static final String SEED = "src/test/resources/fixtures/seed/";
    static final String FW2 = "src/test/resources/fixtures/store/fw2/";
    static final String SCANS = "src/test/resources/fixtures/store/scan/";

    static String[] fw1(String store, String... extra) {
        return args(store, SEED, extra);
    }

    static String[] fw2(String store, String... extra) {
        return args(store, FW2, extra);
    }

    private static String[] args(String store, String dir, String... extra) {
        java.util.List<String> a = new java.util.ArrayList<>(store == null ? java.util.List.of("audit", "-q", "--no-store")
                : java.util.List.of("audit", "-q", "--store", store));
        a.addAll(java.util.List.of("--input", dir + "440-iptables-L.txt", dir + "440-netstat-a.txt", dir + "440-nmap.txt"));
        a.addAll(java.util.List.of(extra));
        return a.toArray(String[]::new);
    }

    private Cli() {}
}
