package io.portaudit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code portaudit collect-script}. */
@Command(name = "collect-script",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Print a busybox-sh script that collects a device's facts into one bundle file.")
public final class CollectScriptCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'portaudit collect-script' is not built yet");
    }
}
