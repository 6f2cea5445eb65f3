package io.portaudit.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server of the test's own: Debian's {@code postgresql} binaries ({@code tools/install-deps}),
 * {@code initdb} in a temp dir (as the {@code postgres} user when the tests run as root), {@code pg_ctl start} on a
 * unix socket directory of its own and 127.0.0.1 on a free port, password authentication over TCP. Started once per
 * test JVM, stopped (and its directory removed) when the JUnit run ends. Without the binaries the tests skip, except
 * with {@code CI=true}, where they fail.
 */
public final class PgServer implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    static final String PASSWORD = "pa-h8-test";
    private static PgServer running;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Path dir;
    private Path pgCtl;
    private int port;
    private boolean asPostgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (PgServer.class) {
            if (running == null) {
                PgServer s = new PgServer();
                s.start();
                running = s;
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("portaudit-pg-server", s);
            }
        }
    }

    /** A fresh, empty database; its JDBC URL with user and password in it. */
    public static String newDatabase() throws SQLException {
        String name = "pa_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(running.url("postgres")); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name);
        }
        return running.url(name);
    }

    String url(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=postgres&password=" + PASSWORD;
    }

    private static Path binaries() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) return null;
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(p -> p.getFileName().toString().matches("[0-9]+") ? Integer.parseInt(p.getFileName().toString()) : 0))
                    .map(p -> p.resolve("bin")).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private void start() throws Exception {
        Path bin = binaries();
        if (bin == null) {
            String why = "PostgreSQL server binaries not found under /usr/lib/postgresql (tools/install-deps installs Debian's postgresql)";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(why);
            Assumptions.abort(why);
        }
        pgCtl = bin.resolve("pg_ctl");
        asPostgres = "root".equals(System.getProperty("user.name"));
        dir = Files.createTempDirectory("pa-h8-pg");
        Path data = dir.resolve("data");
        Path sock = dir.resolve("sock");
        Files.createDirectories(sock);
        Path pw = dir.resolve("pw");
        Files.writeString(pw, PASSWORD + "\n", StandardCharsets.UTF_8);
        if (asPostgres) run(List.of("chown", "-R", "postgres:postgres", dir.toString()), 30);
        port = freePort();
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--pwfile=" + pw, "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"), 120);
        pgStart();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
    }

    private void pgStart() throws IOException, InterruptedException {
        run(List.of(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + dir.resolve("sock") + " -c fsync=off -c max_connections=60",
                "start"), 90);
    }

    /**
     * An outage: the server stops ({@code pg_ctl stop -m fast}: every connection is cut, new ones are refused) until
     * {@link #startAgain()}, which brings it back on the same port with the same data. A test that calls this must call
     * {@link #startAgain()} in a finally block: the other tests of the JVM share the server.
     */
    public static synchronized void stopForOutage() throws IOException, InterruptedException {
        running.run(List.of(running.pgCtl.toString(), "-D", running.dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "60", "stop"), 70);
    }

    /** Starts the server again after {@link #stopForOutage()} (nothing if it runs). */
    public static synchronized void startAgain() throws IOException, InterruptedException {
        try (Connection c = DriverManager.getConnection(running.url("postgres"))) {
            return;   // up
        } catch (SQLException down) {
            running.pgStart();
        }
    }

    private void run(List<String> argv, int seconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && !argv.get(0).equals("chown")) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(argv);
        Path out = Files.createTempFile("pa-h8-pg", ".out");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + ": timed out");
            }
            if (p.exitValue() != 0) {
                String log = dir == null ? "" : readQuietly(dir.resolve("log"));
                throw new IllegalStateException(String.join(" ", full) + ": exit " + p.exitValue() + "\n" + Files.readString(out) + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private synchronized void stop() {
        if (dir == null) return;
        try {
            run(List.of(pgCtl.toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "-t", "30", "stop"), 40);
        } catch (Exception e) {
            System.err.println("PgServer: stop: " + e.getMessage());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("PgServer: cleanup: " + e.getMessage());
        }
        dir = null;
    }

    @Override
    public void close() {
        stop();
        synchronized (PgServer.class) {
            running = null;
        }
    }
}
