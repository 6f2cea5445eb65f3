package io.portaudit.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the store lives: a SQLite file (the default) or a PostgreSQL database.
 *
 * @param file    the SQLite file, null for PostgreSQL
 * @param display what to tell the user (never a password)
 */
public record StoreLocation(Kind kind, String jdbcUrl, Path file, String display, Properties properties, boolean isDefault) {
    public enum Kind { SQLITE, POSTGRESQL }

    /** Java system property (tests set it) and environment variable naming the default store; {@code none}: no store. */
    public static final String PROPERTY = "portaudit.store";
    public static final String ENV = "PORTAUDIT_STORE";

    /**
     * The default store: {@code -Dportaudit.store}, else {@code $PORTAUDIT_STORE}, else
     * {@code $XDG_DATA_HOME/portaudit/portaudit.db}, else {@code ~/.local/share/portaudit/portaudit.db}. Null when set to
     * {@code none}.
     */
    public static StoreLocation defaultLocation(Map<String, String> env, String property) {
        String named = property != null && !property.isEmpty() ? property : env.get(ENV);
        if (named != null && !named.isEmpty()) {
            if (named.equals("none")) return null;
            StoreLocation l = parse(named, env);
            return new StoreLocation(l.kind, l.jdbcUrl, l.file, l.display, l.properties, true);
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
        Path file = base.resolve("portaudit").resolve("portaudit.db");
        return new StoreLocation(Kind.SQLITE, "jdbc:sqlite:" + file, file, file.toString(), new Properties(), true);
    }

    public static StoreLocation defaultLocation() {
        return defaultLocation(System.getenv(), System.getProperty(PROPERTY));
    }

    /** {@code --store URL}: a file path, {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://host[:port]/db[?user=..&password=..]}. */
    public static StoreLocation parse(String url, Map<String, String> env) {
        if (url == null || url.isBlank()) throw new StoreException(io.portaudit.model.L10n.t("store.url.empty"), 2);
        if (url.startsWith("jdbc:sqlite:")) {
            String f = url.substring("jdbc:sqlite:".length());
            int q = f.indexOf('?');
            String params = q >= 0 ? f.substring(q) : "";   // SQLite pragmas, e.g. ?busy_timeout=2000
            if (q >= 0) f = f.substring(0, q);
            if (f.startsWith("file:")) f = f.substring(5);
            if (f.isEmpty() || f.equals(":memory:")) throw new StoreException(io.portaudit.model.L10n.t("store.url.nofile", url), 2);
            Path p = Path.of(f).toAbsolutePath();
            return new StoreLocation(Kind.SQLITE, "jdbc:sqlite:" + p + params, p, p.toString(), new Properties(), false);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            Properties props = new Properties();
            String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
            boolean hasPassword = false;
            for (String kv : query.split("&")) if (kv.startsWith("password=")) hasPassword = true;
            String pw = env.get("PGPASSWORD");
            if (!hasPassword && pw != null && !pw.isEmpty()) props.setProperty("password", pw);
            if (!url.matches("jdbc:postgresql://[^/?]+/[^/?]+(\\?.*)?")) {
                throw new StoreException(io.portaudit.model.L10n.t("store.url.pg", redact(url)), 2);
            }
            props.setProperty("connectTimeout", "10");
            props.setProperty("ApplicationName", "portaudit");
            return new StoreLocation(Kind.POSTGRESQL, url, null, redact(url), props, false);
        }
        // a URL of another scheme (sqlite:/x.db, file:..., postgres://...) is refused, not taken as a relative path
        // (which made a directory named "sqlite:")
        if (url.startsWith("jdbc:") || url.matches("(?i)(sqlite3?|file|postgres(ql)?|mysql|mariadb|https?):.*")) {
            throw new StoreException(io.portaudit.model.L10n.t("store.url.unsupported", redact(url)), 2);
        }
        Path p = Path.of(url).toAbsolutePath();
        return new StoreLocation(Kind.SQLITE, "jdbc:sqlite:" + p, p, p.toString(), new Properties(), false);
    }

    /** The URL without its password. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
