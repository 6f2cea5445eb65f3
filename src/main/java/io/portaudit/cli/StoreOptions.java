package io.portaudit.cli;

import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import io.portaudit.store.StoreLocation;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --store URL} and {@code --no-store}: which history store a command uses. */
public class StoreOptions {
    @Option(names = "--store", paramLabel = "URL",
            description = "The history store: a SQLite file, jdbc:sqlite:FILE, or jdbc:postgresql://host[:port]/db (user and password "
                    + "from the URL, PGPASSWORD or ~/.pgpass). Default: $PORTAUDIT_STORE, else $XDG_DATA_HOME/portaudit/portaudit.db, "
                    + "else ~/.local/share/portaudit/portaudit.db (created on first use).")
    String url;

    @Option(names = "--no-store", description = "Record nothing in the history store.")
    boolean none;

    /** The command this mixin belongs to (its name in "... needs a store"). */
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** Where the store is; null with --no-store (or a default set to none). */
    public StoreLocation location() {
        if (none) {
            if (url != null) throw new UserException(io.portaudit.model.L10n.t("cmd.notboth", "--store", "--no-store"));
            return null;
        }
        try {
            if (url != null) return StoreLocation.parse(url, System.getenv());
            return StoreLocation.defaultLocation();
        } catch (StoreException e) {
            throw new UserException(e.getMessage(), e.exitCode());
        }
    }

    /** Opens the store; says once, when the default store is created, where it is. */
    public static Store open(StoreLocation loc, PrintWriter err, boolean quiet) {
        Store s = Store.open(loc);
        if (s.created() && !quiet) err.println("portaudit: " + io.portaudit.model.L10n.t("cmd.store.created", loc.display()));
        return s;
    }

    /** For commands that read the store: it must exist. */
    public Store openExisting(PrintWriter err) {
        StoreLocation loc = location();
        if (loc == null) throw new UserException(io.portaudit.model.L10n.t("cmd.store.needed",
                mixee != null ? "'" + mixee.qualifiedName() + "'" : io.portaudit.model.L10n.t("cmd.store.thiscommand")));
        if (loc.file() != null && !java.nio.file.Files.exists(loc.file())) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.store.none", loc.display()));
        }
        try {
            return open(loc, err, true);
        } catch (StoreException e) {
            throw new UserException(e.getMessage(), e.exitCode());
        }
    }
}
