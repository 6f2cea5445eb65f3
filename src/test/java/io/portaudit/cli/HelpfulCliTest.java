package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20 item 4: a command line that helps (did you mean, file errors, port ranges, completion, small defects). */
class HelpfulCliTest {
    private static final String SEED = "src/test/resources/fixtures/seed/";

    @Test
    void aMisspelledCommandOrOptionGetsADidYouMean() {
        MainTest.Run c = MainTest.run("audti");
        assertThat(c.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(c.err()).contains("portaudit: unknown command 'audti'", "Did you mean 'audit'?").doesNotContain("Unmatched argument");
        MainTest.Run i = MainTest.run("invetnory");
        assertThat(i.err()).contains("Did you mean 'inventory'?");
        MainTest.Run o = MainTest.run("audit", "--inptu", "x.txt");
        assertThat(o.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(o.err()).contains("unknown option '--inptu'", "Did you mean '--input'?");
        assertThat(MainTest.run("scan", "--top-prots", "10", "127.0.0.1").err()).contains("Did you mean '--top-ports'?");
        // nothing near: no suggestion, still the usage hint
        MainTest.Run far = MainTest.run("zzzzzzzz");
        assertThat(far.err()).contains("unknown command 'zzzzzzzz'", "--help").doesNotContain("Did you mean");
        // the real process, as a user sees it (the handler is installed by main's command line too)
        assertThat(Main.commandLineFor(new String[] {"audti"}).getSubcommands()).containsKey("audit");
    }

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertThat(Suggestions.distance("audti", "audit")).isEqualTo(1);
        assertThat(Suggestions.distance("scna", "scan")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.closest("--polcy", List.of("--policy", "--profile", "--port"))).first().isEqualTo("--policy");
    }

    /** Every option or parameter that names a file, given a file that is missing and one that is a directory. */
    @Test
    void aMissingOrUnreadableFileIsOneSentenceNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such.txt");
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        Path noDir = dir.resolve("no-dir").resolve("out.txt");
        String netstat = SEED + "440-netstat-a.txt";
        List<List<String>> reads = new ArrayList<>();
        for (Path f : List.of(missing, directory)) {
            String p = f.toString();
            reads.add(List.of("audit", "--no-store", "--input", p));
            reads.add(List.of("audit", "--no-store", "--input", "netstat:" + p));
            reads.add(List.of("audit", "--no-store", "--input", netstat, "--policy", p));
            reads.add(List.of("audit", "--no-store", "--input", netstat, "--services", p));
            reads.add(List.of("audit", "--no-store", "--bundle", p));
            reads.add(List.of("firewall", p));
            reads.add(List.of("firewall", "iptables-L:" + p));
            reads.add(List.of("inventory", "--from", p));
            reads.add(List.of("inventory", "--from", "netstat:" + p));
            reads.add(List.of("scan", "-iL", p));
            reads.add(List.of("scan", "--excludefile", p, "127.0.0.1"));
            reads.add(List.of("diff", "--no-store", p, netstat));
            reads.add(List.of("store", "import", "--store", dir.resolve("s.db").toString(), p));
            reads.add(List.of("fleet", "run", "--store", dir.resolve("f.db").toString(), p));
        }
        List<List<String>> writes = List.of(
                List.of("audit", "--no-store", "--input", netstat, "-q", "--fix-script", noDir.toString()),
                List.of("audit", "--no-store", "--input", netstat, "-o", "json:" + noDir),
                List.of("scan", "-Pn", "-p", "1", "-oN", noDir.toString(), "127.0.0.1"),
                List.of("scan", "-Pn", "-p", "1", "-oX", noDir.toString(), "127.0.0.1"),
                List.of("collect-script", "-o", noDir.toString()),
                List.of("firewall", SEED + "440-iptables-L.txt", "-o", "json:" + directory));
        List<List<String>> all = new ArrayList<>(reads);
        all.addAll(writes);
        for (List<String> args : all) {
            MainTest.Run r = MainTest.run(args.toArray(String[]::new));
            String named = args.stream().filter(a -> a.contains(dir.toString())).reduce((a, b) -> b).orElseThrow();
            String file = named.substring(named.indexOf(dir.toString())).replaceFirst(":.*", "");
            assertThat(r.exit()).as("%s\n%s", args, r.err()).isEqualTo(ExitCodes.USAGE);
            List<String> lines = r.err().lines().filter(l -> l.startsWith("portaudit: ") && !l.startsWith("portaudit: created")).toList();
            assertThat(lines).as("%s\n%s", args, r.err()).hasSize(1);
            assertThat(lines.get(0)).as("%s", args).contains(file)
                    .containsAnyOf("no such file", "no such directory", "is a directory", "not a file", "not UTF-8");
            assertThat(r.err()).as("%s", args).doesNotContain("Exception", "\tat ", "internal error");
        }
    }

    @Test
    void anOutOfRangePortNamesTheRange(@TempDir Path dir) throws Exception {
        MainTest.Run t = MainTest.run("firewall", "--trace", "tcp/99999", SEED + "440-iptables-L.txt");
        assertThat(t.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(t.err()).contains("99999", "1-65535");
        assertThat(MainTest.run("firewall", "--trace", "tcp/x", SEED + "440-iptables-L.txt").err()).contains("PROTO/PORT");
        assertThat(MainTest.run("history", "--store", dir.resolve("h.db").toString(), "--port", "tcp/99999").err()).contains("1-65535");
        MainTest.Run s = MainTest.run("scan", "-p", "99999", "127.0.0.1");
        assertThat(s.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(s.err()).contains("99999", "1-65535");
        Path policy = Files.writeString(dir.resolve("p.yml"), "allow:\n  - tcp/99999\n");
        MainTest.Run p = MainTest.run("audit", "--no-store", "--input", SEED + "440-netstat-a.txt", "--policy", policy.toString());
        assertThat(p.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(p.err()).contains("tcp/99999", "1-65535");
    }

    @Test
    void completionPrintsAScriptForBashAndZsh() {
        MainTest.Run b = MainTest.run("completion", "bash");
        assertThat(b.exit()).isZero();
        assertThat(b.out()).contains("complete -F", "portaudit", "audit", "inventory", "--input", "--policy", "completion");
        MainTest.Run z = MainTest.run("completion", "zsh");
        assertThat(z.exit()).isZero();
        assertThat(z.out()).contains("bashcompinit");
        MainTest.Run bad = MainTest.run("completion", "fish");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("bash or zsh");
    }

    /**
     * The script works when sourced: bash completes a command and an option (zsh too, when installed). Called here
     * outside a completion, bash's compopt (which a command with an option taking a value calls) complains on stderr:
     * that is left out.
     */
    @Test
    void theCompletionScriptCompletesInBash(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("portaudit.bash"), MainTest.run("completion", "bash").out());
        String words = shell("bash", "source " + script + "; COMP_WORDS=(portaudit aud); COMP_CWORD=1; COMP_LINE='portaudit aud'; "
                + "COMP_POINT=${#COMP_LINE}; _complete_portaudit 2>/dev/null; echo \"${COMPREPLY[@]}\"");
        assertThat(words.strip()).isEqualTo("audit");
        String opts = shell("bash", "source " + script + "; COMP_WORDS=(portaudit audit --pol); COMP_CWORD=2; "
                + "COMP_LINE='portaudit audit --pol'; COMP_POINT=${#COMP_LINE}; _complete_portaudit 2>/dev/null; echo \"${COMPREPLY[@]}\"");
        assertThat(opts).contains("--policy");
        if (Files.isExecutable(Path.of("/usr/bin/zsh"))) {
            // zsh runs the same script through bashcompinit: it must load and register the completion
            String z = shell("zsh", "autoload -U +X compinit && compinit -u; source " + script + "; echo ${_comps[portaudit]}");
            assertThat(z.strip()).startsWith("_bash_complete -F _complete_portaudit");
        }
    }

    private static String shell(String sh, String command) throws Exception {
        Process p = new ProcessBuilder(sh, "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The progress line on a terminal is erased before a host's report, and never drawn after the scan. */
    @Test
    void theProgressLineIsEndedBeforeTheReport() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ScanCommand.Progress progress = new ScanCommand.Progress(1000, Duration.ofMillis(5), err, true);
        List<String> seen = new ArrayList<>();
        io.portaudit.scan.ScanListener report = new io.portaudit.scan.ScanListener() {
            @Override
            public void host(io.portaudit.scan.HostReport h) {
                seen.add(bytes.toString(StandardCharsets.UTF_8));
                err.print("REPORT\n");
            }
        };
        io.portaudit.scan.ScanListener guarded = progress.guarding(report);
        progress.startThread();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!bytes.toString(StandardCharsets.UTF_8).contains("Stats:") && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Stats:");
        guarded.host(null);
        // what the terminal shows when the report starts: an empty line, the cursor at its start
        assertThat(screenLine(seen.get(0))).isBlank();
        assertThat(seen.get(0)).endsWith("\r");
        guarded.finished(null);
        String after = bytes.toString(StandardCharsets.UTF_8);
        Thread.sleep(30);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(after);   // nothing drawn after the scan
        assertThat(screenLine(after)).isBlank();
        assertThat(after).contains("REPORT\n");
    }

    private static final String PROC_TCP = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n";

    /**
     * A socket no process holds, read by a collection that could read every process's descriptors (as root), gets no
     * "run as root" advice; one read without them still does. The SERVICE column shows the whole IANA name.
     */
    @Test
    void noRunAsRootAdviceWhenEveryProcessWasReadAndServiceNamesAreWhole(@TempDir Path dir) throws Exception {
        Path tcp = Files.writeString(dir.resolve("tcp.txt"), PROC_TCP);
        Path owners = Files.writeString(dir.resolve("owners.txt"), "1\t999\t0\tnet:[4026531840]\tinit\t/sbin/init\t0::/init.scope\n");
        MainTest.Run asRoot = MainTest.run("audit", "--no-store", "--input", "proc-net:" + tcp, "--input", "socket-owners:" + owners);
        assertThat(asRoot.out()).contains("tcp/2024", "no process whose descriptors were read holds the socket")
                .doesNotContain("run portaudit as root");
        assertThat(asRoot.out()).contains(" xinuexpansion4 ").doesNotContain("xinuexpansi…");
        Path partly = Files.writeString(dir.resolve("owners2.txt"), "# unreadable 77 cannot list /proc/77/fd\n"
                + "1\t999\t0\tnet:[4026531840]\tinit\t/sbin/init\t0::/init.scope\n");
        MainTest.Run notRoot = MainTest.run("audit", "--no-store", "--input", "proc-net:" + tcp, "--input", "socket-owners:" + partly);
        assertThat(notRoot.out()).contains("run portaudit as root");
    }

    @Test
    void inventoryNamesNamespacesByTheirIpNetnsNames(@TempDir Path dir) throws Exception {
        Path runNetns = Files.createDirectory(dir.resolve("netns"));
        Path a = Files.writeString(runNetns.resolve("pa-440"), "");
        Object ino = Files.getAttribute(a, "unix:ino");
        var names = io.portaudit.inventory.NetnsNames.ipNetns(List.of(runNetns, dir.resolve("absent")));
        assertThat(names).containsEntry("net:[" + ino + "]", "pa-440");
        io.portaudit.model.Listener inNamed = listener("net:[" + ino + "]", null);
        io.portaudit.model.Listener inContainer = listener("net:[7]", "podman:abcdef012345");
        io.portaudit.model.Listener current = listener("net:[1]", null);
        io.portaudit.model.Listener unnamed = listener("net:[9]", null);
        var labels = io.portaudit.inventory.NetnsNames.labels(List.of(inNamed, inContainer, current, unnamed), names, "net:[1]");
        assertThat(labels).containsEntry("net:[" + ino + "]", "pa-440").containsEntry("net:[7]", "podman:abcdef012345")
                .containsEntry("net:[1]", "current").doesNotContainKey("net:[9]");
        java.io.StringWriter out = new java.io.StringWriter();
        io.portaudit.inventory.InventoryOutput.text(List.of(inNamed, unnamed), true, labels, new java.io.PrintWriter(out, true));
        assertThat(out.toString()).contains("pa-440", "net:[9]").doesNotContain("net:[" + ino + "]");
        // the JSON carries the same names: every namespace of the listeners, named or null, with its count
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                io.portaudit.inventory.InventoryOutput.jsonText(List.of(inNamed, unnamed, inNamed), labels, List.of(), List.of()));
        assertThat(json.path("namespaces")).hasSize(2);
        assertThat(json.path("namespaces").get(0).path("netns").asText()).isEqualTo("net:[" + ino + "]");
        assertThat(json.path("namespaces").get(0).path("name").asText()).isEqualTo("pa-440");
        assertThat(json.path("namespaces").get(0).path("listeners").asInt()).isEqualTo(2);
        assertThat(json.path("namespaces").get(1).path("netns").asText()).isEqualTo("net:[9]");
        assertThat(json.path("namespaces").get(1).path("name").isNull()).isTrue();
        // the streamed text and the tree are one document
        assertThat(json).isEqualTo(io.portaudit.model.ModelJson.mapper().readTree(io.portaudit.model.ModelJson.mapper().writeValueAsString(
                io.portaudit.inventory.InventoryOutput.json(List.of(inNamed, unnamed, inNamed), labels, List.of(), List.of()))));
    }

    private static io.portaudit.model.Listener listener(String netns, String container) {
        var owner = new io.portaudit.model.Owner(42, "httpd", "httpd", "root", null, container, null);
        return new io.portaudit.model.Listener(io.portaudit.model.Protocol.TCP, io.portaudit.model.AddressFamily.IPV4, "0.0.0.0", 80,
                io.portaudit.model.BindScope.ALL, null, "LISTEN", 1, netns, List.of(owner), "test");
    }

    /** The last line of a terminal after {@code text}: carriage returns move to column 0, what follows overwrites. */
    private static String screenLine(String text) {
        String line = text.substring(text.lastIndexOf('\n') + 1);
        StringBuilder screen = new StringBuilder();
        int col = 0;
        for (char c : line.toCharArray()) {
            if (c == '\r') {
                col = 0;
                continue;
            }
            if (col < screen.length()) screen.setCharAt(col, c);
            else screen.append(c);
            col++;
        }
        return screen.toString();
    }
}
