package io.portaudit.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 5: tools/package-deb builds the .deb; unpacked with {@code dpkg -x} into a temporary root it runs
 * with no Java on PATH and no JAVA_HOME ({@code env -i}, a PATH holding only sh and dirname): --version, an audit of
 * the seed's pasted files (history store: SQLite's native library, Flyway), an EUC-JP console paste (jdk.charsets),
 * firewall, inventory, a loopback scan (native sockets), history, an SSH key load and a PostgreSQL URL (their
 * modules), man pages for every command, the bash completion, and the AOT cache in use from the unpacked place.
 *
 * <p>Tag {@code package}: run by {@code mvn verify} after the jar is built (its own Surefire execution in the verify
 * phase), needs target/portaudit.jar, a JDK 25 with jlink, dpkg-deb and fakeroot.
 */
@Tag("package")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageDebTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String SEED = REPO.resolve("src/test/resources/fixtures/seed").toString();

    private Path dir;
    private Path deb;
    private Path root;
    private Path bin;
    private Path home;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    void buildAndUnpack(@TempDir Path tmp) throws Exception {
        dir = tmp;
        assertThat(REPO.resolve("target/portaudit.jar")).as("mvn package first").isRegularFile();
        Path out = Files.createDirectory(dir.resolve("out"));
        Run built = run(List.of(REPO.resolve("tools/package-deb").toString(), "--no-build", "--compress", "none", "--out", out.toString()), Map.of(), 600);
        assertThat(built.exit()).as(built.err()).isZero();
        try (Stream<Path> s = Files.list(out)) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("portaudit_[0-9][^_]*_amd64\\.deb")).toList();
            assertThat(debs).hasSize(1);
            deb = debs.get(0);
        }
        root = dir.resolve("root");
        Run x = run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), Map.of(), 120);
        assertThat(x.exit()).as(x.err()).isZero();
        // a PATH with a shell and dirname only: no java anywhere on it
        bin = Files.createDirectory(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("/bin/sh"));
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        home = Files.createDirectory(dir.resolve("home"));
    }

    /** The installed command, run as {@code env -i PATH=BIN HOME=HOME portaudit ARGS}. */
    private Run portaudit(String... args) throws Exception {
        return portaudit(Map.of(), args);
    }

    private Run portaudit(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "-i", "PATH=" + bin, "HOME=" + home, "TMPDIR=" + dir));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add(root.resolve("usr/bin/portaudit").toString());
        cmd.addAll(List.of(args));
        Run r = run(cmd, Map.of(), 120);
        assertThat(r.err()).as("%s", List.of(args)).doesNotContain("Exception", "NoClassDefFound", "internal error", "WARNING");
        return r;
    }

    @Test
    void theControlFileAndTheTree() throws Exception {
        Run info = run(List.of("dpkg-deb", "-f", deb.toString()), Map.of(), 60);
        assertThat(info.out()).contains("Package: portaudit", "Architecture: amd64", "Depends: libc6").doesNotContain("java", "jre", "jdk");
        Path lib = root.resolve("usr/lib/portaudit");
        assertThat(lib.resolve("portaudit.jar")).isRegularFile();
        assertThat(lib.resolve("runtime/bin/java")).isExecutable();
        assertThat(lib.resolve("portaudit.aot")).isRegularFile();
        // the short commands' own caches (Training store-read, Training serve), smaller than the full one
        assertThat(lib.resolve("portaudit-store-read.aot")).isRegularFile();
        assertThat(lib.resolve("portaudit-serve.aot")).isRegularFile();
        assertThat(Files.size(lib.resolve("portaudit-store-read.aot"))).isLessThan(Files.size(lib.resolve("portaudit.aot")));
        String release = Files.readString(lib.resolve("runtime/release"));
        assertThat(release).contains("java.sql", "jdk.charsets", "java.naming", "jdk.unsupported").doesNotContain("jdk.compiler", "jdk.jshell");
        assertThat(root.resolve("usr/share/bash-completion/completions/portaudit")).content().contains("complete -F _complete_portaudit");
        assertThat(root.resolve("usr/bin/portaudit")).isExecutable();
    }

    @Test
    void runsWithNoJavaOnThePathAndNoJavaHome() throws Exception {
        assertThat(run(List.of("/usr/bin/env", "-i", "PATH=" + bin, "/bin/sh", "-c", "command -v java || echo none"), Map.of(), 30).out())
                .isEqualTo("none\n");
        Run v = portaudit("--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("portaudit " + deb.getFileName().toString().split("_")[1] + "\n").contains("Java 25");
        Run typo = portaudit("audti");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("Did you mean 'audit'?");
    }

    @Test
    void auditsTheSeedsPastedFilesAndRecordsThemInTheStore() throws Exception {
        Run a = portaudit("audit", "--input", SEED + "/440-iptables-L.txt", SEED + "/440-netstat-a.txt", SEED + "/440-nmap.txt",
                "--device", "seed-440", "-o", "text", "-o", "json:" + dir.resolve("a.json"), "-o", "html:" + dir.resolve("a.html"));
        assertThat(a.exit()).as(a.err()).isEqualTo(1);   // the seed's 440 fails the gate
        assertThat(a.out()).contains("telnet", "ftp", "FAIL");
        assertThat(dir.resolve("a.json")).content().contains("\"portaudit-audit\"");
        assertThat(home.resolve(".local/share/portaudit/portaudit.db")).isRegularFile();
        Run h = portaudit("history", "seed-440");
        assertThat(h.exit()).as(h.err()).isZero();
        assertThat(h.out()).contains("seed-440");
        Run ja = portaudit("audit", "--no-store", "--input", REPO.resolve("src/test/resources/fixtures/pastes/session-ja-EUC-JP.raw").toString());
        assertThat(ja.out() + ja.err()).contains("EUC-JP");
        Run fw = portaudit("firewall", "--trace", "tcp/23", SEED + "/440-iptables-L.txt");
        assertThat(fw.exit()).as(fw.err()).isZero();
        Run inv = portaudit("inventory", "--from", SEED + "/g3-netstat-a.txt");
        assertThat(inv.exit()).as(inv.err()).isZero();
        assertThat(inv.out()).contains("LISTEN");
    }

    @Test
    void scansLoopbackAndLoadsTheSshAndPostgresqlCode() throws Exception {
        // a small scan takes NIO by choice; forced, the native layer (java.lang.foreign) must work in the jlinked runtime
        Run s = portaudit(Map.of("PORTAUDIT_JAVA_OPTS", "-Dportaudit.scan.io=native"), "scan", "-Pn", "-n", "-p", "1-20", "-v", "127.0.0.1");
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.err()).contains("native socket layer");
        Run k = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("key").toString()), Map.of(), 30);
        assertThat(k.exit()).isZero();
        // nothing listens on loopback port 1: the key is loaded, the client starts, the connection is refused
        // (an empty known_hosts: a missing one is refused before connecting, naming the file)
        java.nio.file.Files.writeString(dir.resolve("known_hosts"), "");
        Run ssh = portaudit("audit", "--no-store", "--ssh", "root@127.0.0.1:1", "-i", dir.resolve("key").toString(),
                "--known-hosts", dir.resolve("known_hosts").toString(), "--no-scan", "--connect-timeout", "5");
        assertThat(ssh.exit()).as(ssh.err()).isEqualTo(3);
        assertThat(ssh.err()).contains("cannot connect: connection refused").doesNotContain("key file");
        Run pg = portaudit("history", "--store", "jdbc:postgresql://127.0.0.1:1/portaudit");
        assertThat(pg.exit()).isEqualTo(2);
        assertThat(pg.err()).contains("cannot open store");
    }

    /** Without java.desktop in the runtime (tools/package-deb leaves it out): fleet YAML (SnakeYAML), HTML/SARIF reports, Japanese. */
    @Test
    void runsFleetYamlReportsAndJapaneseWithoutJavaDesktop() throws Exception {
        assertThat(root.resolve("usr/lib/portaudit/runtime/release")).content().doesNotContain("java.desktop");
        Path fleet = Files.writeString(dir.resolve("fleet.yaml"), "devices:\n  - {name: b1, bundle: " + dir.resolve("absent.tar.gz") + ", scan: false}\n");
        Run f = portaudit("fleet", "run", fleet.toString(), "--store", dir.resolve("fleet.db").toString());
        assertThat(f.exit()).as(f.err()).isEqualTo(3);   // the one device's bundle is missing: could not be audited
        assertThat(f.out()).contains("1 could not be audited", "b1");
        Run a = portaudit("audit", "--no-store", "--input", SEED + "/440-iptables-L.txt", SEED + "/440-netstat-a.txt", SEED + "/440-nmap.txt",
                "-o", "html:" + dir.resolve("d.html"), "-o", "sarif:" + dir.resolve("d.sarif"), "--lang", "ja");
        assertThat(a.exit()).as(a.err()).isEqualTo(1);
        assertThat(dir.resolve("d.html")).content().contains("<html");
        assertThat(dir.resolve("d.sarif")).content().contains("\"version\"");
        Run typo = portaudit(Map.of("LANG", "ja_JP.UTF-8"), "audti");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("'audit' のことですか?");
    }

    @Test
    void manPagesForEveryCommandAndTheAotCacheInUse() throws Exception {
        Path man = root.resolve("usr/share/man/man1");
        for (String c : List.of("portaudit", "portaudit-audit", "portaudit-firewall", "portaudit-inventory", "portaudit-scan",
                "portaudit-collect-script", "portaudit-history", "portaudit-diff", "portaudit-show", "portaudit-store",
                "portaudit-baseline", "portaudit-completion")) {
            Path page = man.resolve(c + ".1.gz");
            assertThat(page).as(c).isRegularFile();
            Run r = run(List.of("/bin/sh", "-c", "zcat '" + page + "' | groff -ww -z -man"), Map.of(), 60);
            assertThat(r.exit()).isZero();
            assertThat(r.err()).as(c).isEmpty();
        }
        Run text = run(List.of("/bin/sh", "-c", "zcat '" + man.resolve("portaudit-audit.1.gz") + "' | groff -man -Tutf8 -P-cbou"), Map.of(), 60);
        assertThat(text.out()).contains("portaudit-audit", "SYNOPSIS", "--input", "--policy", "OPTIONS");
        // the Japanese set (UTF-8, the texts of --lang ja --help), one page per English one; groff -k: preconv's UTF-8
        Path manJa = root.resolve("usr/share/man/ja/man1");
        try (Stream<Path> en = Files.list(man); Stream<Path> ja = Files.list(manJa)) {
            assertThat(ja.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(en.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String c : List.of("portaudit", "portaudit-audit", "portaudit-scan", "portaudit-store", "portaudit-fleet-run")) {
            Path page = manJa.resolve(c + ".1.gz");
            Run r = run(List.of("/bin/sh", "-c", "zcat '" + page + "' | groff -k -ww -z -man -Tutf8"), Map.of(), 60);
            assertThat(r.exit()).isZero();
            assertThat(r.err()).as(c).isEmpty();
        }
        Run ja = run(List.of("/bin/sh", "-c", "zcat '" + manJa.resolve("portaudit-audit.1.gz") + "' | groff -k -man -Tutf8 -P-cbou"), Map.of(), 60);
        assertThat(ja.out()).contains("portaudit-audit", "名前", "書式", "オプション", "機器を監査する", "--input", "--policy", "省略時")
                .doesNotContain("SYNOPSIS", "Audit a device");
        if (Files.isExecutable(Path.of("/usr/bin/man"))) {
            // as a user reads it: man-db's own pipeline (preconv, tbl, groff) on the installed file
            Run m = run(List.of("/usr/bin/man", "-l", manJa.resolve("portaudit-audit.1.gz").toString()),
                    Map.of("LANG", "C.UTF-8", "MANWIDTH", "80", "MAN_KEEP_FORMATTING", "0", "MANPAGER", "cat", "PAGER", "cat"), 60);
            assertThat(m.exit()).as(m.err()).isZero();
            assertThat(m.out()).contains("機器を監査する", "オプション");
        }
        // the cache made at package time is mapped from where the package was unpacked
        Run aot = portaudit(Map.of("PORTAUDIT_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        long shared = aot.out().lines().filter(l -> l.contains("source: shared objects file")).count();
        assertThat(shared).as("classes from the AOT cache").isGreaterThan(1000);
        assertThat(aot.out()).as("--version maps the store-read cache, not the full one (which has the scanner's classes)")
                .doesNotContain("io.portaudit.scan.GrepOutput source: shared objects file");
    }

    private static Run run(List<String> cmd, Map<String, String> env, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        File out = File.createTempFile("pa-out", ".txt"), err = File.createTempFile("pa-err", ".txt");
        try {
            pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(cmd + ": still running after " + seconds + " s");
            }
            return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8), Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }
}
