package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one KIND:FILE reader behind audit --input, firewall FILE and inventory --from: the same rules in all three. */
class InputFilesTest {
    private static final String SEED = "src/test/resources/fixtures/seed/";

    @Test
    void anUnknownKindIsTheSameErrorInEveryCommand() {
        for (String[] args : new String[][] {{"audit", "--no-store", "--input", "bogus:" + SEED + "440-netstat-a.txt"},
                {"inventory", "--from", "bogus:" + SEED + "440-netstat-a.txt"}, {"firewall", "bogus:" + SEED + "440-iptables-L.txt"}}) {
            MainTest.Run r = MainTest.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", args)).contains("no such file, and 'bogus' is not a known kind");
        }
    }

    @Test
    void aKnownKindIsSplitOffInEveryCommand() {
        assertThat(MainTest.run("inventory", "--from", "netstat:" + SEED + "440-netstat-a.txt").exit()).isEqualTo(ExitCodes.OK);
        assertThat(MainTest.run("firewall", "iptables-L:" + SEED + "440-iptables-L.txt").exit()).isEqualTo(ExitCodes.OK);
        MainTest.Run audit = MainTest.run("audit", "--no-store", "--input", "netstat:" + SEED + "440-netstat-a.txt",
                "iptables-L:" + SEED + "440-iptables-L.txt");
        assertThat(audit.exit()).as(audit.err()).isIn(ExitCodes.OK, ExitCodes.FINDINGS);
    }

    @Test
    void aFileWhoseNameHoldsAColonIsReadAsThatFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("netstat:board.txt");
        Files.copy(Path.of(SEED + "440-netstat-a.txt"), f);
        MainTest.Run r = MainTest.run("inventory", "--from", f.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("23");
    }

    @Test
    void standardInputIsNamedAlikeAndReadOnce() throws Exception {
        InputStream old = System.in;
        try {
            byte[] netstat = Files.readAllBytes(Path.of(SEED + "440-netstat-a.txt"));
            System.setIn(new ByteArrayInputStream(netstat));
            MainTest.Run twice = MainTest.run("inventory", "--from", "-", "--from", "netstat:-");
            assertThat(twice.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(twice.err()).contains("--from <stdin>: standard input is given more than once");
            System.setIn(new ByteArrayInputStream("garbage\n".getBytes(StandardCharsets.US_ASCII)));
            MainTest.Run firewall = MainTest.run("firewall", "-");
            assertThat(firewall.err()).contains("<stdin>");
            System.setIn(new ByteArrayInputStream(netstat));
            MainTest.Run once = MainTest.run("inventory", "--from", "-");
            assertThat(once.exit()).as(once.err()).isEqualTo(ExitCodes.OK);
        } finally {
            System.setIn(old);
        }
    }
}
