package io.portaudit.collect;

import io.portaudit.model.Capture;
import io.portaudit.model.DeviceSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects this machine's raw texts: the kernel's socket tables under /proc and the firewall
 * ruleset from whichever tools are installed. No parsing happens here.
 */
public final class LocalCollector {
    private static final String SOURCE = "local";

    private final Clock clock;
    private final CommandRunner runner;
    private final Path proc;

    public LocalCollector(Clock clock, CommandRunner runner, Path proc) {
        this.clock = clock;
        this.runner = runner;
        this.proc = proc;
    }

    public LocalCollector() {
        this(Clock.systemUTC(), new CommandRunner(), Path.of("/proc"));
    }

    public DeviceSnapshot collect() {
        List<Capture> captures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean partial = false;

        for (String[] t : new String[][] {
                {DeviceSnapshot.KIND_PROC_NET_TCP, "net/tcp"}, {DeviceSnapshot.KIND_PROC_NET_TCP6, "net/tcp6"},
                {DeviceSnapshot.KIND_PROC_NET_UDP, "net/udp"}, {DeviceSnapshot.KIND_PROC_NET_UDP6, "net/udp6"},
                {DeviceSnapshot.KIND_BINDV6ONLY, "sys/net/ipv6/bindv6only"}}) {
            Path file = proc.resolve(t[1]);
            try {
                captures.add(new Capture(t[0], file.toString(), null, Files.readString(file, StandardCharsets.ISO_8859_1),
                        "", clock.instant(), SOURCE, false));
            } catch (IOException e) {
                // no IPv6 on this kernel, or /proc not mounted: say so, keep going
                notes.add("could not read " + file + ": " + e.getMessage());
            }
        }

        boolean anyFirewallTool = false;
        for (String[] t : new String[][] {
                {DeviceSnapshot.KIND_IPTABLES_SAVE, "iptables-save"},
                {DeviceSnapshot.KIND_IP6TABLES_SAVE, "ip6tables-save"},
                {DeviceSnapshot.KIND_NFT_JSON, "nft", "-j", "list", "ruleset"}}) {
            String exe = CommandRunner.which(t[1]);
            if (exe == null) {
                notes.add(t[1] + " is not installed: its rules are not part of this audit");
                continue;
            }
            anyFirewallTool = true;
            List<String> argv = new ArrayList<>(List.of(t).subList(1, t.length));
            argv.set(0, exe);
            Capture c = runner.run(t[0], argv, SOURCE);
            captures.add(c);
            if (!c.ok()) {
                notes.add(t[1] + " failed (exit " + c.exitStatus() + "): " + c.stderr().strip());
                if (c.truncated()) partial = true;
            }
        }
        if (!anyFirewallTool) notes.add("no firewall tool found (iptables-save, ip6tables-save, nft): firewall view missing");
        return new DeviceSnapshot(SOURCE, hostname(), clock.instant(), captures, partial, notes);
    }

    private String hostname() {
        try {
            return Files.readString(proc.resolve("sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
