package io.portaudit.cli;

import io.portaudit.collect.CollectScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit collect-script}: the busybox-sh script that writes a bundle on a device. */
@Command(name = "collect-script",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Print a busybox-sh script that collects a device's facts into one bundle file.",
        description = {
            "",
            "For a device without an SSH server: copy the script to the device (serial console, USB stick), run it "
                    + "as root with 'sh portaudit-collect.sh [OUTPUT]', bring the file it writes back and run "
                    + "'portaudit audit --bundle OUTPUT'.",
            "",
            "The script needs only a POSIX sh (busybox sh, dash) and busybox applets. It reads the firewall rules "
                    + "(iptables-save, ip6tables-save, or iptables -L -v -n when -save is missing; nft), the socket tables "
                    + "of every network namespace (/proc/PID/net/*), the socket -> process table, addresses, uname and "
                    + "os-release, and changes nothing. It writes a tar.gz, or a plain-text bundle when tar or gzip is "
                    + "missing.",
            ""
        })
public final class CollectScriptCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    LangOption lang;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the script to FILE (mode 0755) instead of standard output.")
    Path output;

    @Override
    public Integer call() {
        String text = CollectScript.text();
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        try {
            Files.writeString(output, text, StandardCharsets.UTF_8);
            output.toFile().setExecutable(true, false);
        } catch (IOException e) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.cannotwrite", output, io.portaudit.model.IoErrors.reason(e)));
        }
        return ExitCodes.OK;
    }
}
