package io.portaudit.cli;

import io.portaudit.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit baseline set MODEL AUDIT}: a golden unit's audit, for {@code audit --baseline MODEL}. */
@Command(name = "baseline",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Golden-unit baselines: 'baseline set MODEL AUDIT' makes an audit of a known-good unit the reference for MODEL.",
        description = {
            "",
            "'portaudit audit --baseline MODEL' then adds a baseline-deviation finding for every port, program or weakness that "
                    + "differs from the golden unit. 'baseline show MODEL' prints which audit it is.",
            ""
        })
public final class BaselineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @picocli.CommandLine.Mixin
    LangOption lang;

    @Parameters(index = "0", paramLabel = "ACTION", description = "set or show")
    String action;

    @Parameters(index = "1", paramLabel = "MODEL", description = "The model (any name: armadillo-440, product-x-rev2, ...)")
    String model;

    @Parameters(index = "2", arity = "0..1", paramLabel = "AUDIT", description = "For set: the golden unit's audit (id, DEVICE@latest, ...)")
    String ref;

    /** The time a baseline is set at (tests fix it). */
    java.time.Clock clock = java.time.Clock.systemUTC();

    @Override
    public Integer call() {
        try (Store s = store.openExisting(spec.commandLine().getErr())) {
            switch (action) {
                case "set" -> {
                    if (ref == null) throw new UserException(io.portaudit.model.L10n.t("cmd.baseline.noaudit"));
                    long id = s.resolve(ref);
                    s.setBaseline(model, id, clock.instant());
                    spec.commandLine().getOut().println(io.portaudit.model.L10n.t("cmd.baseline.is", model, id));
                }
                case "show" -> spec.commandLine().getOut().println(io.portaudit.model.L10n.t("cmd.baseline.is", model, s.baseline(model)));
                default -> throw new UserException(io.portaudit.model.L10n.t("cmd.action", "baseline", "set, show", action));
            }
        }
        return 0;
    }
}
