package io.portaudit.cli;

import io.portaudit.store.DeviceIdentity;
import io.portaudit.store.Store;
import io.portaudit.store.StoreException;
import io.portaudit.store.StoreLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit store info|migrate|prune|export|import}. */
@Command(name = "store",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "The history store: info, migrate, prune, export, import.",
        description = {
            "",
            "  info                       where the store is, its schema version, counts and size",
            "  migrate                    create the store or bring its schema up to date (an audit does this by itself)",
            "  prune --keep N             keep each device's N latest audits",
            "  prune --older-than 90d     delete audits collected before then (d, h, w; a baseline's audit is kept)",
            "  export FILE.jsonl          every audit, one JSON line each (device, coverage, the result document)",
            "  import FILE...             export files, audit JSON files (--device NAME for those), or other SQLite stores (a "
                    + "fleet shard's: its audits and fleet runs); a result already stored is skipped, so importing twice changes nothing",
            ""
        })
public final class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "ACTION", description = "info, migrate, prune, export or import")
    String action;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FILE", description = "export: the file to write; import: the files to read")
    List<String> files = new ArrayList<>();

    @Option(names = "--keep", paramLabel = "N", description = "prune: audits to keep per device")
    Integer keep;

    @Option(names = "--older-than", paramLabel = "AGE", description = "prune: delete audits older than AGE (90d, 12h, 4w)")
    String olderThan;

    @Option(names = "--device", paramLabel = "NAME", description = "import: the device of audit JSON files that carry no identity")
    String device;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        switch (action) {
            case "info" -> {
                try (Store s = store.openExisting(err)) {
                    Store.Info i = s.info();
                    out.println(io.portaudit.model.L10n.t("cmd.store.where", i.location(), i.kind()));
                    out.println(io.portaudit.model.L10n.t("cmd.store.schema", i.schemaVersion(), Store.SCHEMA));
                    out.println(io.portaudit.model.L10n.t("cmd.store.devices", i.devices()));
                    out.println(io.portaudit.model.L10n.t("cmd.store.audits", i.audits()));
                    out.println(io.portaudit.model.L10n.t("cmd.store.rows", i.rows(), i.findings()));
                    if (i.bytes() != null) {
                        out.println(io.portaudit.model.L10n.t("cmd.store.size", i.bytes()) + (i.audits() > 0 ? " " + io.portaudit.model.L10n.t("cmd.store.peraudit", i.bytes() / i.audits()) : ""));
                    }
                }
            }
            case "migrate" -> {
                StoreLocation loc = store.location();
                if (loc == null) throw new UserException(io.portaudit.model.L10n.t("cmd.store.nostore", "store migrate"));
                try (Store s = StoreOptions.open(loc, err, common.verbosity() < 0)) {
                    int n = s.ensureSchema(true);
                    out.println(io.portaudit.model.L10n.t("cmd.store.migrated", loc.display(), s.schemaVersion(), n));
                }
            }
            case "prune" -> {
                if (keep == null && olderThan == null) throw new UserException(io.portaudit.model.L10n.t("cmd.store.pruneneeds"));
                if (keep != null && keep < 1) throw new UserException(io.portaudit.model.L10n.t("cmd.atleast", "--keep", 1));
                Duration age = olderThan == null ? null : age(olderThan);
                try (Store s = store.openExisting(err)) {
                    out.println(io.portaudit.model.L10n.t("cmd.store.pruned", s.prune(keep, age, clock.instant())));
                }
            }
            case "export" -> {
                if (files.size() != 1) throw new UserException(io.portaudit.model.L10n.t("cmd.store.exportone"));
                Path f = Path.of(files.get(0));
                Path tmp = f.toAbsolutePath().resolveSibling(f.getFileName() + ".tmp");
                int n;
                try (Store s = store.openExisting(err); Writer w = writer(tmp, f)) {
                    n = s.export(w);
                }
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out.println(io.portaudit.model.L10n.t("cmd.store.exported", n, f));
            }
            case "import" -> {
                if (files.isEmpty()) throw new UserException(io.portaudit.model.L10n.t("cmd.store.importnone"));
                StoreLocation loc = store.location();
                if (loc == null) throw new UserException(io.portaudit.model.L10n.t("cmd.store.nostore", "store import"));
                int stored = 0, skipped = 0, runs = 0, fleetDevices = 0;
                try (Store s = StoreOptions.open(loc, err, common.verbosity() < 0)) {
                    for (String name : files) {
                        Path f = Path.of(name);
                        if (!Files.isRegularFile(f)) throw new UserException("store import " + name + ": " + io.portaudit.model.L10n.t("cmd.nosuchfile"));
                        if (sqlite(f)) {
                            // another store (a shard's): its audits, then its fleet runs with their audit ids mapped
                            if (loc.file() != null && Files.exists(loc.file()) && Files.isSameFile(loc.file(), f)) {
                                throw new UserException(io.portaudit.model.L10n.t("cmd.store.self", name));
                            }
                            java.util.Map<Long, Long> ids = new java.util.HashMap<>();
                            try (Store from = Store.open(StoreLocation.parse(f.toString(), java.util.Map.of()))) {
                                for (Store.Device d : from.devices()) {
                                    for (Store.AuditInfo a : from.audits(d.id())) {
                                        Store.Recorded r = s.importLine(from.exportLine(d, a), DeviceIdentity.named(null), clock.instant());
                                        ids.put(a.id(), r.auditId());
                                        if (r.stored()) stored++; else skipped++;
                                    }
                                }
                                var m = new io.portaudit.fleet.FleetRuns(s).merge(new io.portaudit.fleet.FleetRuns(from), ids, clock.instant());
                                runs += m.runs();
                                fleetDevices += m.devices();
                            } catch (StoreException e) {
                                throw new StoreException(name + ": " + e.getMessage(), e.exitCode());
                            }
                            continue;
                        }
                        String text;
                        try {
                            text = Files.readString(f, StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new UserException(io.portaudit.model.L10n.t("cmd.cannotread", "store import " + name, io.portaudit.model.IoErrors.reason(e))
                                    + (e instanceof java.nio.charset.CharacterCodingException ? " " + io.portaudit.model.L10n.t("cmd.store.utf8") : ""));
                        }
                        List<String> units = text.stripLeading().startsWith("{\"format\":\"portaudit-store-export\"")
                                ? text.lines().filter(l -> !l.isBlank()).toList() : List.of(text);
                        int line = 0;
                        for (String u : units) {
                            line++;
                            try {
                                Store.Recorded r = s.importLine(u, device == null ? DeviceIdentity.named(null) : DeviceIdentity.named(device),
                                        clock.instant());
                                if (r.stored()) stored++; else skipped++;
                            } catch (StoreException e) {
                                throw new StoreException(name + (units.size() > 1 ? ":" + line : "") + ": " + e.getMessage(), e.exitCode());
                            }
                        }
                    }
                }
                out.println(io.portaudit.model.L10n.t("cmd.store.imported", stored, skipped)
                        + (runs + fleetDevices > 0 ? io.portaudit.model.L10n.t("cmd.store.importedfleet", runs, fleetDevices) : ""));
            }
            default -> throw new UserException(io.portaudit.model.L10n.t("cmd.action", "store", "info, migrate, prune, export, import", action));
        }
        return 0;
    }

    /** A SQLite database file (a store), by its header. */
    static boolean sqlite(Path f) throws IOException {
        try (var in = Files.newInputStream(f)) {
            byte[] head = in.readNBytes(16);
            return head.length == 16 && new String(head, 0, 15, StandardCharsets.ISO_8859_1).equals("SQLite format 3");
        }
    }

        static Duration age(String s) {
        var m = java.util.regex.Pattern.compile("([0-9]{1,6})([hdw])").matcher(s);
        if (!m.matches()) throw new UserException(io.portaudit.model.L10n.t("cmd.store.olderthan", s));
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "h" -> Duration.ofHours(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofDays(n);
        };
    }


    private static Writer writer(Path tmp, Path f) {
        try {
            return Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.cannotwrite", "store export " + f, io.portaudit.model.IoErrors.reason(e)));
        }
    }
}
