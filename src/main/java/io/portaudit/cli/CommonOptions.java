package io.portaudit.cli;

import io.portaudit.model.Problems;
import io.portaudit.model.ServiceNames;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command shares: verbosity, colour, the service-name table. */
public class CommonOptions {
    public enum ColorMode { auto, always, never }

    @Option(names = {"-v", "--verbose"}, description = "Say more: repeat for more detail (-vv).")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Print only results and errors.")
    boolean quiet;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the text output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; auto = only on a terminal).")
    ColorMode color = ColorMode.auto;

    @Option(names = "--services", paramLabel = "FILE",
            description = "A services file (/etc/services format) whose names override the built-in IANA table, "
                    + "e.g. the device's own /etc/services. Default: this machine's /etc/services.")
    Path servicesFile;

    /** {@code --lang ja|en} (its own mixin: the commands without these options have it too). */
    @picocli.CommandLine.Mixin
    LangOption lang;

    public int verbosity() {
        return quiet ? -1 : verbose.length;
    }

    public boolean useColor() {
        return switch (color) {
            case always -> true;
            case never -> false;
            case auto -> System.console() != null && System.getenv("NO_COLOR") == null
                    && !"dumb".equals(System.getenv("TERM"));
        };
    }

    /** The name table: IANA + /etc/services, or IANA + the given file. */
    public ServiceNames serviceNames(Problems problems) throws IOException {
        if (servicesFile == null) return ServiceNames.defaults();
        try {
            return ServiceNames.iana().withServicesFile(servicesFile, problems);
        } catch (io.portaudit.model.BoundedRead.TooLarge e) {
            throw new UserException("--services " + e.getMessage());
        } catch (IOException e) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.cannotread", "--services " + servicesFile, e.getMessage()));
        }
    }
}
