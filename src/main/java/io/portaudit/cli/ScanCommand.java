package io.portaudit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code portaudit scan}. */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Scan TCP and UDP ports of targets, with nmap's port states and syntax.")
public final class ScanCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        throw new UserException("'portaudit scan' is not built yet");
    }
}
