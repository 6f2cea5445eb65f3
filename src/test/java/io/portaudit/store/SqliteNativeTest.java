package io.portaudit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sqlite-jdbc's native library is taken from the user's cache, written there once, not extracted on every start. */
class SqliteNativeTest {
    @TempDir
    Path tmp;

    @Test
    void theCacheDirectoryFollowsXdgAndElseHome() {
        assertThat(SqliteNative.cacheDir(Map.of("XDG_CACHE_HOME", "/c"))).isEqualTo(Path.of("/c/portaudit/native"));
        assertThat(SqliteNative.cacheDir(Map.of("XDG_CACHE_HOME", "relative"))).isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "portaudit", "native"));
        assertThat(SqliteNative.cacheDir(Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "portaudit", "native"));
    }

    @Test
    void theLibraryFolderIsTheDriversOwnAnswerWithoutItsChildProcess() {
        assertThat(SqliteNative.resourceFolder()).isEqualTo(org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath());
        assertThat(SqliteNative.class.getResource(SqliteNative.resourceFolder() + "/" + org.sqlite.util.LibraryLoaderUtil.getNativeLibName())).isNotNull();
    }

    @Test
    void aStoreOpensWithTheCachedLibrary() throws Exception {
        try (Store s = Store.open(StoreLocation.parse(tmp.resolve("s.db").toString(), Map.of()))) {
            assertThat(s.info().audits()).isZero();
        }
        String dir = System.getProperty("org.sqlite.lib.path");
        String name = System.getProperty("org.sqlite.lib.name");
        if (dir == null) return;   // no writable cache directory in this environment: the driver's own way was used
        assertThat(name).matches("sqlitejdbc-[0-9]+-[0-9a-f]+\\.(so|dylib|dll|jnilib)");
        Path lib = Path.of(dir, name);
        assertThat(lib).isRegularFile();
        assertThat(Files.size(lib)).isEqualTo(Long.parseLong(name.split("-")[1]));
        assertThat(org.sqlite.SQLiteJDBCLoader.isNativeMode()).isTrue();
    }
}
