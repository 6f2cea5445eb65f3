package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

public class MainTest {
    /** What one in-JVM run of portaudit printed and returned (also used by the store tests). */
    public record Run(int exit, String out, String err) {}

    public static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("audit", "firewall", "inventory", "scan", "collect-script", "Exit codes:",
                "3  could not collect or scan everything");
    }

    @Test
    void versionNamesTheProduct() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("portaudit ");
    }

    @Test
    void auditHelpReadsLikeAManPage() {
        Run r = run("audit", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: portaudit audit", "--json", "--output", "--color", "--services");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Run r = run("audit", "--no-such-option");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown option", "--help");
    }

    @Test
    void outputTargetsParseFormatAndFile() {
        OutputOptions o = new OutputOptions();
        new CommandLine(o).parseArgs("-o", "json:/tmp/r.json", "-o", "html", "--json");
        assertThat(o.targets()).extracting(OutputOptions.Target::format).containsExactly("json", "json", "html");
        assertThat(o.targets().get(1).file()).hasToString("/tmp/r.json");
        assertThat(o.targets().get(2).file()).isNull();
    }

    @Test
    void everyCommandWritesTheOutputsItIsAskedFor(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String seed = "src/test/resources/fixtures/seed/";
        java.nio.file.Path inv = dir.resolve("inv.json"), fw = dir.resolve("fw.json");
        Run i = run("inventory", "-q", "--from", seed + "440-netstat-a.txt", "-o", "json:" + inv, "-o", "text");
        assertThat(i.exit()).isZero();
        assertThat(i.out()).contains("0.0.0.0:21");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(inv.toFile()).path("listeners").size()).isEqualTo(7);
        Run f = run("firewall", "-q", seed + "440-iptables-L.txt", "-o", "json:" + fw);
        assertThat(f.exit()).isZero();
        assertThat(java.nio.file.Files.readString(fw)).contains("\"verdict\"");
        Run bad = run("inventory", "--from", seed + "440-netstat-a.txt", "-o", "html");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("inventory writes json, text, not 'html'");
    }

    @Test
    void aRunBuildsOnlyTheSubcommandItNames() {
        CommandLine scan = Main.commandLineFor(new String[] {"scan", "-p", "80", "127.0.0.1"});
        assertThat(scan.getSubcommands().keySet()).containsExactly("scan");
        // help and unknown names get every subcommand, in the order of Main's table
        assertThat(Main.commandNames()).contains("audit", "scan", "fleet", "help");
        assertThat(Main.commandLineFor(new String[] {"help", "scan"}).getSubcommands().keySet())
                .containsExactlyElementsOf(Main.commandNames());
        // --version alone builds none; with more arguments (a usage error to report) every one
        assertThat(Main.commandLineFor(new String[] {"--version"}).getSubcommands()).isEmpty();
        assertThat(Main.commandLineFor(new String[] {"-V"}).getSubcommands()).isEmpty();
        assertThat(Main.commandLineFor(new String[] {"--version", "bogus"}).getSubcommands().keySet()).containsExactlyElementsOf(Main.commandNames());
        assertThat(Main.commandLineFor(new String[] {"bogus"}).getSubcommands().keySet()).containsExactlyElementsOf(Main.commandNames());
    }

    @Test
    void onlyCommandsThatOpenTheStoreWarmItsDriverUp() {
        assertThat(Main.readsStore(new String[] {"diff", "dev@-1", "dev@latest"})).isTrue();
        assertThat(Main.readsStore(new String[] {"history"})).isTrue();
        assertThat(Main.readsStore(new String[] {"show", "--store", "x.db", "1"})).isTrue();
        assertThat(Main.readsStore(new String[] {"serve"})).isTrue();
        assertThat(Main.readsStore(new String[] {"diff", "--no-store", "a.xml", "b.xml"})).isFalse();
        assertThat(Main.readsStore(new String[] {"history", "--help"})).isFalse();
        assertThat(Main.readsStore(new String[] {"audit", "--input", "x"})).isFalse();
        assertThat(Main.readsStore(new String[] {})).isFalse();
        // reading a command's annotations ahead changes nothing picocli then builds
        Main.readAnnotations("diff");
        assertThat(Main.commandLineFor(new String[] {"diff"}).getSubcommands().get("diff").getCommandSpec().optionsMap()).containsKeys("--store", "--all", "--json");
    }
}
