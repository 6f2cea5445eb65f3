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

    private static Process start(Path launcher, Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("JAVA_HOME");   // the remembered path is used only without JAVA_HOME
        pb.environment().remove("PORTAUDIT_JAVA_OPTS");
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

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
