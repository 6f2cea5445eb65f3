package io.portaudit.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * sqlite-jdbc's native library, extracted once. Left alone, the driver writes its 1 MB library into the temporary
 * directory on every start (a new file name each time, then compared byte by byte with the jar's copy and loaded; a
 * killed process leaves its copy behind). Here it is written once per driver build into the user's cache directory
 * ({@code $XDG_CACHE_HOME/portaudit/native}, else {@code ~/.cache/portaudit/native}; atomically: a temporary file
 * renamed into place) under a name that carries the library's size and CRC from the jar, and the driver is pointed at
 * it ({@code org.sqlite.lib.path}/{@code org.sqlite.lib.name}). Anything unusual (no cache directory, a read-only
 * home, a library not in a jar, the properties already set) leaves the driver to do as it always does.
 */
final class SqliteNative {
    private static boolean done;

    private SqliteNative() {}

    static synchronized void prepare() {
        if (done) return;
        done = true;
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("org.sqlite.lib.name") != null) return;
        try {
            Path dir = cacheDir(System.getenv());
            if (dir == null) return;
            String folder = resourceFolder();
            String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
            URL url = SqliteNative.class.getResource(folder + "/" + name);
            if (url == null) return;
            URLConnection conn = url.openConnection();
            if (!(conn instanceof JarURLConnection jar) || jar.getJarEntry() == null) return;
            long size = jar.getJarEntry().getSize();
            long crc = jar.getJarEntry().getCrc();
            if (size <= 0 || crc < 0) return;
            String dot = name.lastIndexOf('.') > 0 ? name.substring(name.lastIndexOf('.')) : "";
            String cached = "sqlitejdbc-" + size + "-" + Long.toHexString(crc) + dot;
            Path target = dir.resolve(cached);
            if (!Files.isRegularFile(target) || Files.size(target) != size) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, cached, ".tmp");
                try {
                    try (InputStream in = conn.getInputStream()) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if (Files.size(tmp) != size) return;
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", cached);
        } catch (IOException | RuntimeException | LinkageError e) {
            // the driver's own way still works
        }
    }

    /**
     * The jar folder of the library for this platform, as the driver names it. The driver's own answer
     * ({@code LibraryLoaderUtil.getNativeLibResourcePath}) runs {@code uname -o} in a child process to rule out Termux, a
     * fork that costs every short run (diff, history) tens of milliseconds; on Linux x86_64 and aarch64 outside Android
     * the folder is known without it.
     */
    static String resourceFolder() {
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> null;
        };
        boolean android = System.getProperty("java.runtime.name", "").toLowerCase(java.util.Locale.ROOT).contains("android")
                || System.getenv("TERMUX_VERSION") != null || System.getenv().getOrDefault("PREFIX", "").contains("com.termux")
                || org.sqlite.util.OSInfo.isAndroidRuntime();
        if (!"Linux".equals(System.getProperty("os.name")) || arch == null || android) return org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath();
        return "/org/sqlite/native/" + (org.sqlite.util.OSInfo.isMusl() ? "Linux-Musl" : "Linux") + "/" + arch;
    }

    /** Where the library is kept; null when there is no home to keep it in. */
    static Path cacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "portaudit", "native");
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || home.equals("?")) return null;
        return Path.of(home, ".cache", "portaudit", "native");
    }
}
