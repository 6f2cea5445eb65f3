package io.portaudit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code portaudit firewall}. */
@Command(name = "firewall",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Read firewall rules (iptables -L/-S/-save, ip6tables, nft) and show what a remote host can reach.")
public final class FirewallCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        throw new UserException("'portaudit firewall' is not built yet");
    }
}
