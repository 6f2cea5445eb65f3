package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code ./portaudit}, POSIX sh) started many times at once on a fresh cache: every start
 * must succeed. It used to rewrite its remembered JDK path on every start, and a start that read the
 * file while another truncated it could take a cut path (a directory) for java and exit 126.
 */
class LauncherTest {
    static final int STARTS = 20;

    @Test
    void twentyConcurrentFirstStartsAllSucceedAndTheCacheIsWrittenOnce(@TempDir Path dir) throws Exception {
        Path launcher = copyLauncherWithJar(dir);
        Path cache = dir.resolve("target/.portaudit-java");
        assertThat(cache).doesNotExist();
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) ps.add(start(launcher, dir.resolve("out" + i), "--version"));
        for (int i = 0; i < STARTS; i++) {
            Process p = ps.get(i);
            if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
            assertThat(p.exitValue()).as("start %d: %s", i, Files.readString(dir.resolve("out" + i))).isZero();
            assertThat(Files.readString(dir.resolve("out" + i))).as("start %d", i).isNotBlank();
        }
        List<String> remembered = Files.readAllLines(cache);
        assertThat(remembered).hasSize(2);
        assertThat(Path.of(remembered.get(0))).isRegularFile().isExecutable();
        assertThat(remembered.get(1)).matches("[0-9]+");
        try (var s = Files.list(dir.resolve("target"))) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temporary file or lock left behind")
                    .noneMatch(n -> n.startsWith(".portaudit-java.") || n.endsWith(".lock"));
        }
        // unchanged: not rewritten (a later start reads it while nobody writes it)
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(cache, old);
        Process again = start(launcher, dir.resolve("again"), "--version");
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isZero();
        assertThat(Files.getLastModifiedTime(cache)).isEqualTo(old);
    }

    @Test
    void aCachedPathThatIsADirectoryOrGarbageIsNotExecuted(@TempDir Path dir) throws Exception {
        Path launcher = copyLauncherWithJar(dir);
        Path cache = dir.resolve("target/.portaudit-java");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String content : List.of(java.substring(0, java.length() - "/java".length()), java + "\n2", "/nonexistent\n25\n", "")) {
            Files.writeString(cache, content);
            Process p = start(launcher, dir.resolve("out"), "--version");
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("cache %s: %s", content, Files.readString(dir.resolve("out"))).isZero();
        }
    }

    /**
     * With JAVA_HOME set, its java's version is asked once and remembered (a `java -version` per start cost ~0.1 s,
     * twice on every start before); a JAVA_HOME naming another java is asked again.
     */
    @Test
    void javaHomesVersionIsAskedOnceAndRememberedForThatJavaOnly(@TempDir Path dir) throws Exception {
        Path launcher = copyLauncherWithJar(dir);
        Path log = dir.resolve("version-asked");
        Path real = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Path> homes = new ArrayList<>();
        for (String name : List.of("jdk-a", "jdk-b")) {
            Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
            // a java that notes each -version question and runs the real one
            Files.writeString(bin.resolve("java"), "#!/bin/sh\n[ \"$1\" = -version ] && echo " + name + " >>'" + log + "'\nexec '" + real + "' \"$@\"\n");
            Files.setPosixFilePermissions(bin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
            homes.add(dir.resolve(name));
        }
        for (Path home : List.of(homes.get(0), homes.get(0), homes.get(0), homes.get(1), homes.get(1))) {
            Process p = start(launcher, dir.resolve("out"), Map.of("JAVA_HOME", home.toString()), "--version");
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("out"))).isZero();
        }
        // asked on the first start with each JAVA_HOME only (twice there: the >= 21 check and the version to remember)
        assertThat(Files.readAllLines(log)).containsExactly("jdk-a", "jdk-a", "jdk-b", "jdk-b");
        assertThat(Files.readString(dir.resolve("target/.portaudit-java-home"))).startsWith(homes.get(1).resolve("bin/java") + "\n");
        assertThat(dir.resolve("target/.portaudit-java")).as("the JAVA_HOME record is kept apart").doesNotExist();
    }

    /**
     * JDK 25+: the short commands get caches of their own (issue 17, 19). Four concurrent first starts of diff all
     * succeed and leave one store-read cache (no lock, no temporary file); a later diff maps its classes from it;
     * serve makes its own; a rebuild removes every cache.
     */
    @Test
    void theShortCommandsMakeAndUseCachesOfTheirOwnAndARebuildRemovesThem(@TempDir Path dir) throws Exception {
        // AOT caches need JDK 25+; CI builds with 25 (.ci/run), so there this runs or fails, never skips
        if ("true".equals(System.getenv("CI"))) assertThat(Runtime.version().feature()).as("CI's JDK").isGreaterThanOrEqualTo(25);
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25+");
        Path launcher = copyLauncherWithRealJar(dir);
        Path target = dir.resolve("target"), store = dir.resolve("h.db");
        Training.fill(store);
        String[] diff = {"diff", "--store", store.toString(), "training@-1", "training@latest"};
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 4; i++) ps.add(start(launcher, dir.resolve("diff" + i), diff));
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            Process p = ps.get(i);
            if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
            String out = Files.readString(dir.resolve("diff" + i));
            assertThat(p.exitValue()).as("start %d: %s", i, out).isIn(0, 1);
            outs.add(out);
        }
        assertThat(outs).as("the same diff from every start, cache or not").allMatch(o -> o.equals(outs.get(0)));
        assertThat(outs.get(0)).contains("training");
        assertThat(target.resolve("portaudit-store-read.aot")).isNotEmptyFile();
        assertThat(target.resolve("portaudit.aot")).as("the full cache is not made for diff").doesNotExist();
        try (var s = Files.list(target)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temporary file or lock left behind")
                    .noneMatch(n -> n.contains(".aot.") || n.endsWith(".lock"));
        }
        // a later start maps diff's classes from that cache
        Process again = start(launcher, dir.resolve("again"), Map.of("PORTAUDIT_JAVA_OPTS", "-Xlog:class+load=info:stdout"), diff);
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("again"))).contains("io.portaudit.cli.DiffCommand source: shared objects file")
                .as("not the full cache (which has the scanner's classes)").doesNotContain("io.portaudit.scan.GrepOutput source: shared objects file");
        // serve: its own cache, made before the server starts (the server is then stopped)
        Process serve = start(launcher, dir.resolve("serve"), "serve", "--store", store.toString(), "--listen", "127.0.0.1:0");
        try {
            for (int i = 0; i < 600 && !Files.exists(target.resolve("portaudit-serve.aot")) && serve.isAlive(); i++) Thread.sleep(500);
            assertThat(target.resolve("portaudit-serve.aot")).as(Files.readString(dir.resolve("serve"))).isNotEmptyFile();
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
        // a rebuild (a source newer than the jar; "mvn" here only puts the jar back) removes every cache
        Path jar = target.resolve("portaudit.jar"), saved = dir.resolve("saved.jar");
        Files.copy(jar, saved);
        Files.writeString(target.resolve("portaudit.aot"), "old");
        Files.writeString(target.resolve("portaudit-store-read.aot"), "old");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("mvn"), "#!/bin/sh\ncp '" + saved + "' '" + jar + "'\n");
        Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.writeString(Files.createDirectories(dir.resolve("src/main")).resolve("Changed.java"), "");
        Process rebuilt = start(launcher, dir.resolve("rebuilt"), Map.of("PATH", bin + ":" + System.getenv("PATH")), "--version");
        assertThat(rebuilt.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(rebuilt.exitValue()).as(Files.readString(dir.resolve("rebuilt"))).isZero();
        assertThat(target.resolve("portaudit.aot")).doesNotExist();
        assertThat(target.resolve("portaudit-serve.aot")).doesNotExist();
        assertThat(Files.readString(target.resolve("portaudit-store-read.aot"), StandardCharsets.ISO_8859_1))
                .as("--version trained a new store-read cache after the rebuild").isNotEqualTo("old");
    }

    private static Process start(Path launcher, Path out, String... args) throws IOException {
        return start(launcher, out, Map.of(), args);
    }

    private static Process start(Path launcher, Path out, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("JAVA_HOME");   // the remembered path is used only without JAVA_HOME
        pb.environment().remove("PORTAUDIT_JAVA_OPTS");
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * The launcher beside a {@code target/portaudit.jar} that runs the classes under test (its manifest
     * names them and their dependencies), newer than any source: no build is needed.
     */
    static Path copyLauncherWithJar(Path dir) throws IOException {
        Path repo = Path.of("").toAbsolutePath();
        while (!Files.exists(repo.resolve("portaudit"))) repo = repo.getParent();
        Path launcher = dir.resolve("portaudit");
        Files.copy(repo.resolve("portaudit"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("target"));
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("test-classes") || e.contains("junit") || e.contains("assertj") || e.contains("surefire")) continue;
            cp.add(Path.of(e).toUri().toString());
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", cp));
        m.getMainAttributes().put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        try (OutputStream o = Files.newOutputStream(dir.resolve("target/portaudit.jar")); JarOutputStream j = new JarOutputStream(o, m)) {
            j.flush();
        }
        return launcher;
    }

    /**
     * The launcher beside a {@code target/portaudit.jar} that holds the classes under test (an AOT cache needs
     * jars on the class path, not directories) and names the dependency jars in its manifest.
     */
    static Path copyLauncherWithRealJar(Path dir) throws IOException {
        Path launcher = copyLauncherWithJar(dir);
        Path jar = dir.resolve("target/portaudit.jar");
        Manifest m;
        try (var in = new java.util.jar.JarFile(jar.toFile())) {
            m = in.getManifest();
        }
        List<String> cp = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (String e : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH).split(" ")) {
            Path p = Path.of(java.net.URI.create(e));
            if (Files.isDirectory(p)) dirs.add(p); else cp.add(e);
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", cp));
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            for (Path d : dirs) {
                try (var s = Files.walk(d)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        String name = d.relativize(f).toString().replace(File.separatorChar, '/');
                        if (name.equals("META-INF/MANIFEST.MF")) continue;
                        j.putNextEntry(new java.util.jar.JarEntry(name));
                        Files.copy(f, j);
                        j.closeEntry();
                    }
                }
            }
        }
        return launcher;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
