package io.portaudit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code portaudit inventory}. */
@Command(name = "inventory",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "List every listening TCP socket and bound UDP socket with the program behind it.")
public final class InventoryCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        throw new UserException("'portaudit inventory' is not built yet");
    }
}
