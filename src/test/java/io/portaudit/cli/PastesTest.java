package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portaudit.model.InputText;
import io.portaudit.model.Text;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real pastes (issue 14 item 9, issue 15 items 4 and 5): prompt lines, whole serial-console logs split by
 * command, CRLF/CR/BOM/Unicode-space variants, empty ip6tables-save, Shift_JIS/EUC-JP terminals, mixed files.
 * The console sessions in fixtures/pastes were typed into real shells on a pseudo-terminal (capture.sh).
 */
class PastesTest {
    static final Path FX = Path.of("src/test/resources/fixtures");
    static final Path PASTES = FX.resolve("pastes");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static JsonNode json(MainTest.Run r) throws Exception {
        return JSON.readTree(r.out());
    }

    /** tcp/23/ipv4 -> accept, for every port row's firewall verdict. */
    static Map<String, String> verdicts(JsonNode root) {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode p : root.path("ports")) {
            m.put(p.path("protocol").asText() + "/" + p.path("port").asText() + "/" + p.path("family").asText(),
                    p.path("firewall").path("verdict").asText("-"));
        }
        return m;
    }

    static List<String> findings(JsonNode root) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
            out.add(f.path("id").asText() + " " + f.path("protocol").asText() + "/" + f.path("ports").path("from").asText() + "-"
                    + f.path("ports").path("to").asText() + "/" + f.path("family").asText());
        }
        out.sort(null);
        return out;
    }

    static List<String> listeners(JsonNode root) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : root.path("ports")) {
            for (JsonNode l : p.path("listeners")) out.add(l.path("protocol").asText() + " " + l.path("address").asText() + ":" + l.path("port").asText());
        }
        return out.stream().distinct().sorted().toList();
    }

    /** The same lines after the one reading every parser uses. */
    static String[] fileLines(Path p) throws Exception {
        return Text.lines(InputText.decode(p.toString(), Files.readAllBytes(p)).text());
    }

    // ---- a whole serial-console log -------------------------------------------------------------------------

    @Test
    void aSerialLogIsSplitByCommandAndEachPartReadWithTheFilesLineNumbers() throws Exception {
        Path log = PASTES.resolve("serial-armadillo440.log");
        MainTest.Run r = MainTest.run("audit", "--json", "--input", log.toString());
        JsonNode root = json(r);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(root.path("problems")).as("nothing in the log is unreadable").isEmpty();
        assertThat(root.path("views").path("present")).extracting(JsonNode::asText).containsExactly("firewall", "listeners");
        // telnet, http on [::] (dual-stack), ftp and snmp: read from both netstat -a and ss -tulpn
        assertThat(listeners(root)).containsExactly("tcp 0.0.0.0:21", "tcp :::23", "tcp :::80", "udp 0.0.0.0:161");
        assertThat(findings(root)).contains("insecure-protocol tcp/23-23/ipv4", "insecure-protocol tcp/23-23/ipv6",
                "insecure-protocol tcp/21-21/ipv4", "accept-all-policy null/1-65535/ipv6");
        // the firewall it read is the board's: the same verdicts as iptables -L captured alone on the lab's 440
        JsonNode clean = json(MainTest.run("audit", "--json", "--input", FX.resolve("lab/pa-440/iptables-L.txt").toString()));
        Map<String, String> v4 = new TreeMap<>(verdicts(root));
        v4.keySet().removeIf(k -> k.endsWith("ipv6"));
        Map<String, String> cleanV4 = new TreeMap<>(verdicts(clean));
        cleanV4.keySet().removeIf(k -> k.endsWith("ipv6"));
        assertThat(v4).containsAllEntriesOf(cleanV4);
        // the empty ip6tables-save says: nothing filters IPv6
        assertThat(verdicts(root)).containsEntry("tcp/23/ipv6", "accept").containsEntry("tcp/80/ipv6", "accept");
        // every piece of evidence names the file's own line, whose text it is
        String[] lines = fileLines(log);
        int checked = 0;
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
            for (JsonNode e : f.path("evidence")) {
                String src = e.path("source").asText();
                if (!src.startsWith(log + ":")) continue;
                int n = Integer.parseInt(src.substring(src.lastIndexOf(':') + 1));
                String line = lines[n - 1].strip().replaceAll("\\s+", " ");
                if (e.path("view").asText().equals("firewall")) {
                    assertThat(e.path("text").asText().replaceAll("\\s+", " ")).as(src).endsWith(line);
                } else {
                    // a netstat or ss row of the listener's protocol
                    assertThat(line).as(src).startsWith(e.path("text").asText().substring(0, 3));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
        // one note of what was read and one of what was skipped, naming the lines (not a warning per line)
        List<String> notes = new ArrayList<>();
        root.path("notes").forEach(n -> notes.add(n.asText()));
        assertThat(notes).contains(log + ": a console paste of 8 commands, split at its prompt lines; read: lines 30-55 `iptables -L` read as "
                + "iptables-L; lines 57-73 `netstat -a` read as netstat; `ip6tables-save` (line 74) printed no table: no ip6tables table is loaded,"
                + " so ip6tables filters no IPv6 packet (every IPv6 port is accepted unless an nft table filters it); lines 76-80 `ss -tulpn` read as ss");
        assertThat(notes).contains(log + ": skipped (no listing portaudit reads): lines 3-27 before the first prompt (boot, kernel and login messages);"
                + " line 82 `uname -m`; line 84 `ls -N --show-control-chars`; line 86 `exit`; prompt lines 28-29, 56, 74-75, 81, 83, 85;"
                + " kernel message line 62");
        assertThat(lines[61]).startsWith("[  812.334455] fec");
        assertThat(notes).contains(log + ": not UTF-8; line 84 read as Shift_JIS (windows-31j) (a Japanese-locale terminal's encoding)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "session-bash.raw, iptables-L",        // [armadillo ~]# (Red Hat style), bash on a pty
        "session-debian-ja.raw, iptables-S",   // root@armadillo:~/ダウンロード# (Debian style, Japanese directory)
        "session-busybox.raw, iptables-save",  // busybox ash: ~ # with its cursor-position query ESC[6n
    })
    void everyPromptStyleGivesTheSameBoard(String file, String firewallKind) throws Exception {
        JsonNode root = json(MainTest.run("audit", "--json", "--input", PASTES.resolve(file).toString()));
        assertThat(root.path("problems")).isEmpty();
        assertThat(listeners(root)).containsExactly("tcp 0.0.0.0:21", "tcp :::23", "tcp :::80", "udp 0.0.0.0:161");
        assertThat(root.path("notes").toString()).contains("read as " + firewallKind);
        assertThat(verdicts(root)).containsEntry("tcp/23/ipv4", "accept").containsEntry("tcp/113/ipv4", "reject")
                .containsEntry("tcp/21/ipv4", "accept");
    }

    @Test
    void aBareDollarPromptAndAnEmptyIp6tablesSave() throws Exception {
        JsonNode root = json(MainTest.run("audit", "--json", "--input", PASTES.resolve("session-dollar.raw").toString()));
        assertThat(root.path("problems")).isEmpty();
        assertThat(root.path("views").path("present")).extracting(JsonNode::asText).containsExactly("firewall", "listeners");
        assertThat(verdicts(root)).containsEntry("tcp/23/ipv6", "accept");
        assertThat(root.path("notes").get(0).asText()).contains("lines 3-7 `ss -tulpn` read as ss",
                "`ip6tables-save` (line 8) printed no table: no ip6tables table is loaded");
    }

    // ---- one command pasted with its prompt ------------------------------------------------------------------

    @Test
    void aPromptLineAtTheTopIsSkippedAndTheRestReadAsTheCleanFile() throws Exception {
        Path clean = FX.resolve("seed/440-iptables-L.txt");
        String body = Files.readString(clean, StandardCharsets.UTF_8);
        Path pasted = tmp.resolve("pasted.txt");
        Files.writeString(pasted, "[armadillo ~]# iptables -L\n" + body + "[armadillo ~]# \n", StandardCharsets.UTF_8);
        MainTest.Run a = MainTest.run("audit", "--json", "--input", clean.toString());
        MainTest.Run b = MainTest.run("audit", "--json", "--input", pasted.toString());
        assertThat(b.exit()).isEqualTo(a.exit());
        assertThat(verdicts(json(b))).isEqualTo(verdicts(json(a)));
        assertThat(findings(json(b))).isEqualTo(findings(json(a)));
        assertThat(json(b).path("problems").size()).isEqualTo(json(a).path("problems").size());
        // rule 4 (telnet) is line 7 of the clean file, line 8 of the paste
        assertThat(b.out()).contains(pasted + ":8");
        assertThat(json(b).path("notes").get(0).asText()).contains("lines 2-").contains("`iptables -L` read as iptables-L");
    }

    @Test
    void aCommandThatFailedIsAProblemNamingItsLinesNotAnEmptyListing() throws Exception {
        String netstat = Files.readString(FX.resolve("lab/pa-440/netstat-tulpn.txt"), StandardCharsets.UTF_8);
        Path pasted = tmp.resolve("console.txt");
        Files.writeString(pasted, "~ # ss -tulpn\n-sh: ss: not found\n~ # netstat -tulpn\n" + netstat, StandardCharsets.UTF_8);
        JsonNode root = json(MainTest.run("audit", "--json", "--input", pasted.toString()));
        assertThat(root.path("problems")).singleElement().satisfies(p -> {
            assertThat(p.path("line").asInt()).isEqualTo(2);
            assertThat(p.path("severity").asText()).isEqualTo("error");
            assertThat(p.path("message").asText()).contains("`ss -tulpn`", "are not ss output");
        });
        assertThat(listeners(root)).isNotEmpty();
    }

    @Test
    void aFirewallChangeAfterTheListingIsSaid() throws Exception {
        String rules = Files.readString(FX.resolve("lab/pa-440/iptables-S.txt"), StandardCharsets.UTF_8);
        Path pasted = tmp.resolve("console.txt");
        Files.writeString(pasted, "# iptables -S\n" + rules + "# iptables -P INPUT ACCEPT\n# exit\n", StandardCharsets.UTF_8);
        JsonNode root = json(MainTest.run("audit", "--json", "--input", pasted.toString()));
        int changeLine = 2 + rules.split("\n").length;
        assertThat(root.path("problems")).singleElement().satisfies(p -> {
            assertThat(p.path("line").asInt()).isEqualTo(changeLine);
            assertThat(p.path("message").asText()).contains("changed the firewall after the iptables-S listing");
        });
    }

    @Test
    void theSameListingTwiceIsReadOnceTheLaterOne() throws Exception {
        // the 440's rules, then flushed: the later listing (all ACCEPT) is the state; reading both would keep the drops
        String before = Files.readString(FX.resolve("lab/pa-440/iptables-save.txt"), StandardCharsets.UTF_8);
        String after = Files.readString(FX.resolve("lab/pa-g3/iptables-save.txt"), StandardCharsets.UTF_8);
        Path pasted = tmp.resolve("console.txt");
        Files.writeString(pasted, "# iptables-save\n" + before + "# iptables -F\n# iptables -P INPUT ACCEPT\n# iptables-save\n" + after
                + "# netstat -tuln\n" + Files.readString(FX.resolve("lab/pa-440/netstat-tulpn.txt")), StandardCharsets.UTF_8);
        JsonNode root = json(MainTest.run("audit", "--json", "--input", pasted.toString()));
        JsonNode clean = json(MainTest.run("audit", "--json", "--input", FX.resolve("lab/pa-g3/iptables-save.txt").toString(),
                FX.resolve("lab/pa-440/netstat-tulpn.txt").toString()));
        assertThat(verdicts(root)).isEqualTo(verdicts(clean)).containsEntry("tcp/6000/ipv4", "accept");
        assertThat(root.path("problems")).isEmpty(); // the change came before the listing that is read
        assertThat(root.path("notes").toString()).contains("(an earlier iptables-save listing; the later one is read)");
    }

    @Test
    void aKindGivenForAFileOfSeveralCommandsIsAnInputError() {
        MainTest.Run r = MainTest.run("audit", "--input", "netstat:" + PASTES.resolve("serial-armadillo440.log"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("holds 4 listings", "give it without netstat:");
        MainTest.Run c = MainTest.run("audit", "--input", "netstat:" + FX.resolve("scan/seed-440-nmap.txt"));
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("given as netstat, but line 1 says it is the output of `nmap");
    }

    // ---- line ends, BOM, Unicode spaces: identical results ----------------------------------------------------

    static String variant(String text, String how) {
        String lf = text.replace("\r\n", "\n");
        return switch (how) {
            case "crlf" -> lf.replace("\n", "\r\n");
            case "cr" -> lf.replace("\n", "\r");
            case "bom" -> lf;                          // the mark itself is added as bytes, below
            case "bom-crlf" -> lf.replace("\n", "\r\n");
            case "trailing-blanks" -> lf + "\n\n  \n\n";
            // a browser or a Japanese IME: the first space of every run becomes a no-break or an ideographic space
            case "unicode-spaces" -> lf.replaceAll("(?m)(\\S) ", "$1\u00a0").replaceAll("(?m)\u00a0 ", "\u3000 ");
            default -> throw new IllegalArgumentException(how);
        };
    }

    /** The report as a tree (key order is not part of it), without the time and the directory, with exit code and stderr. */
    static JsonNode comparable(MainTest.Run r, Path dir) throws Exception {
        JsonNode root = JSON.readTree(r.out().replace(dir.toString(), "DIR"));
        if (root.path("device") instanceof ObjectNode d) d.remove("collectedAt");
        ((ObjectNode) root).put("exit", r.exit()).put("err", r.err().replace(dir.toString(), "DIR"));
        return root;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "seed/440-iptables-L.txt seed/440-netstat-a.txt seed/440-nmap.txt, crlf",
        "seed/440-iptables-L.txt seed/440-netstat-a.txt seed/440-nmap.txt, cr",
        "seed/440-iptables-L.txt seed/440-netstat-a.txt seed/440-nmap.txt, bom",
        "seed/440-iptables-L.txt seed/440-netstat-a.txt seed/440-nmap.txt, trailing-blanks",
        "seed/440-iptables-L.txt seed/440-netstat-a.txt seed/440-nmap.txt, unicode-spaces",
        "lab/pa-440/iptables-save.txt lab/pa-440/ss-tulpn.txt scan/nmap-pa440-top1000.xml, bom-crlf",
        "lab/pa-440/iptables-save.txt lab/pa-440/ss-tulpn.txt scan/nmap-pa440-top1000.xml, unicode-spaces",
        "lab/pa-nft/nft-list-ruleset.txt lab/pa-nft/proc-net-tcp6.txt lab/pa-nft/busybox-netstat-a.txt, bom",
        "lab/pa-nft/nft-list-ruleset.txt lab/pa-nft/proc-net-tcp6.txt lab/pa-nft/busybox-netstat-a.txt, cr",
        "lab/pa-nft/nft-list-ruleset.txt lab/pa-nft/proc-net-tcp6.txt lab/pa-nft/busybox-netstat-a.txt, unicode-spaces",
        "lab/pa-nft/nft-j-list-ruleset.json lab/pa-g3/netstat-tulpn.txt, bom-crlf",
        "lab/pa-440/iptables-L-v-n-line-numbers.txt lab/pa-440/ip6tables-S.txt lab/pa-440/proc-net-udp.txt, crlf",
        "lab/pa-440/iptables-L-v-n-line-numbers.txt lab/pa-440/ip6tables-S.txt lab/pa-440/proc-net-udp.txt, unicode-spaces",
        "pastes/serial-armadillo440.log, bom",
        "pastes/session-busybox.raw, trailing-blanks",
    })
    void damagedLookingVariantsGiveTheCleanFilesResult(String files, String how) throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        List<String> argsA = new ArrayList<>(List.of("audit", "--json", "--input")), argsB = new ArrayList<>(argsA);
        for (String f : files.split(" ")) {
            byte[] bytes = Files.readAllBytes(FX.resolve(f));
            String name = Path.of(f).getFileName().toString();
            Files.write(a.resolve(name), bytes);
            boolean utf8 = InputText.decode(name, bytes).notes().isEmpty();
            String text = utf8 ? new String(bytes, StandardCharsets.UTF_8) : new String(bytes, Charset.forName("ISO-8859-1"));
            byte[] changed = variant(text, how).getBytes(utf8 ? StandardCharsets.UTF_8 : Charset.forName("ISO-8859-1"));
            if (how.startsWith("bom")) {
                byte[] withBom = new byte[changed.length + 3];
                withBom[0] = (byte) 0xEF;
                withBom[1] = (byte) 0xBB;
                withBom[2] = (byte) 0xBF;
                System.arraycopy(changed, 0, withBom, 3, changed.length);
                changed = withBom;
            }
            Files.write(b.resolve(name), changed);
            argsA.add(a.resolve(name).toString());
            argsB.add(b.resolve(name).toString());
        }
        JsonNode clean = comparable(MainTest.run(argsA.toArray(String[]::new)), a);
        JsonNode damaged = comparable(MainTest.run(argsB.toArray(String[]::new)), b);
        assertThat(damaged).isEqualTo(clean);
        assertThat(clean.path("exit").asInt()).as(clean.path("err").asText()).isLessThan(2);
    }

    @Test
    void aBomWithTheKindForcedIsNotAnErrorOnEveryLine() throws Exception {
        Path f = tmp.resolve("rules.txt");
        Files.writeString(f, "\uFEFF" + Files.readString(FX.resolve("lab/pa-440/iptables-save.txt")), StandardCharsets.UTF_8);
        JsonNode forced = json(MainTest.run("audit", "--json", "--input", "iptables-save:" + f));
        JsonNode clean = json(MainTest.run("audit", "--json", "--input", FX.resolve("lab/pa-440/iptables-save.txt").toString()));
        assertThat(forced.path("problems")).isEmpty();
        assertThat(verdicts(forced)).isEqualTo(verdicts(clean));
        MainTest.Run fw = MainTest.run("firewall", "--json", f.toString());
        assertThat(fw.exit()).isZero();
        assertThat(fw.err()).isEmpty();
    }

    // ---- empty ip6tables-save ---------------------------------------------------------------------------------

    @Test
    void anEmptyIp6tablesSaveMeansNoIpv6RuleIsLoaded() throws Exception {
        Path empty = FX.resolve("lab/pa-440/ip6tables-save.txt"); // zero bytes, captured on the lab's 440
        assertThat(Files.size(empty)).isZero();
        JsonNode root = json(MainTest.run("audit", "--json", "--input", FX.resolve("lab/pa-440/iptables-save.txt").toString(), empty.toString(),
                FX.resolve("lab/pa-440/netstat-tulpn.txt").toString()));
        assertThat(root.path("problems")).isEmpty();
        assertThat(verdicts(root)).containsEntry("tcp/23/ipv4", "accept").containsEntry("tcp/6000/ipv6", "accept");
        assertThat(findings(root)).anyMatch(s -> s.startsWith("ipv6-unfiltered tcp/"));
        assertThat(root.path("notes").toString()).contains("empty, an ip6tables-save output (by the file's name): no ip6tables table is loaded");
        // the same empty output, but its kind said by the tool's own comment (iptables-nft with legacy tables present)
        Path commented = tmp.resolve("capture6.txt");
        Files.writeString(commented, "# Warning: ip6tables-legacy tables present, use ip6tables-legacy-save to see them\n");
        JsonNode c = json(MainTest.run("audit", "--json", "--input", commented.toString(), FX.resolve("lab/pa-440/netstat-tulpn.txt").toString()));
        assertThat(c.path("problems")).isEmpty();
        assertThat(verdicts(c)).containsEntry("tcp/6000/ipv6", "accept");
        assertThat(c.path("notes").toString()).contains("only comments, an ip6tables-save output (by its comment)");
        // nothing says which tool printed nothing: a clear input error, not "cannot tell what kind"
        Path unnamed = Files.write(tmp.resolve("capture.txt"), new byte[0]);
        MainTest.Run u = MainTest.run("audit", "--input", unnamed.toString());
        assertThat(u.exit()).isEqualTo(2);
        assertThat(u.err()).contains("is empty", "print when no rule is loaded", "ip6tables-save:" + unnamed).doesNotContain("cannot tell");
        assertThat(MainTest.run("audit", "--json", "--input", "ip6tables-save:" + unnamed).exit()).isEqualTo(1);
        // firewall FILE reads it too
        MainTest.Run fw = MainTest.run("firewall", empty.toString());
        assertThat(fw.exit()).isZero();
        assertThat(fw.out()).contains("ipv6 tcp:", "1-65535       accept");
    }

    // ---- Japanese-locale terminals ------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"windows-31j", "EUC-JP"})
    void aShiftJisOrEucJpConsoleGivesTheUtf8ConsolesResult(String charset) throws Exception {
        String utf8 = Files.readString(PASTES.resolve("session-debian-ja.raw"), StandardCharsets.UTF_8);
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(a.resolve("console.log"), utf8, StandardCharsets.UTF_8);
        Files.write(b.resolve("console.log"), utf8.getBytes(Charset.forName(charset)));
        JsonNode ja = json(MainTest.run("audit", "--json", "--input", b.resolve("console.log").toString()));
        JsonNode u8 = json(MainTest.run("audit", "--json", "--input", a.resolve("console.log").toString()));
        assertThat(ja.path("problems")).isEmpty();
        assertThat(verdicts(ja)).isEqualTo(verdicts(u8));
        assertThat(findings(ja)).isEqualTo(findings(u8));
        assertThat(ja.path("notes").get(0).asText()).contains("not UTF-8; lines 1-2, 24, 31 read as");
    }

    /** Recorded with LANG=ja_JP.UTF-8 and ja_JP.EUC-JP: net-tools' and ls's messages in Japanese, in the terminal's encoding. */
    @ParameterizedTest
    @CsvSource({"session-ja-UTF-8.raw", "session-ja-EUC-JP.raw"})
    void aJapaneseLocaleSessionIsReadAsTheEnglishOne(String file) throws Exception {
        JsonNode ja = json(MainTest.run("audit", "--json", "--input", PASTES.resolve(file).toString()));
        assertThat(ja.path("problems")).isEmpty();
        assertThat(listeners(ja)).containsExactly("tcp 0.0.0.0:21", "tcp :::23", "tcp :::80", "udp 0.0.0.0:161");
        String notes = ja.path("notes").toString();
        assertThat(notes).contains("`netstat -a` read as netstat", "`ss -tulpn` read as ss", "`ls /etc/iptables/rules.v4`");
        if (file.contains("EUC")) assertThat(notes).contains("read as EUC-JP");
        // the Japanese header lines are the listing's own: the UNIX section after 稼働中のUNIXドメインソケット is not read
        assertThat(fileLines(PASTES.resolve(file))[2]).startsWith("稼働中のインターネット接続");
    }

    @Test
    void bytesNoEncodingReadsAreAProblemOnTheirLine() throws Exception {
        byte[] netstat = Files.readAllBytes(FX.resolve("lab/pa-440/netstat-tulpn.txt"));
        String text = new String(netstat, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("LISTEN"); // a noisy serial line garbles the state of the first listener
        byte[] bad = netstat.clone();
        bad[at] = (byte) 0xFF;
        bad[at + 1] = (byte) 0xFE;
        Path f = Files.write(tmp.resolve("netstat.txt"), bad);
        MainTest.Run r = MainTest.run("audit", "--json", "--input", f.toString());
        int line = text.substring(0, at).split("\n", -1).length;
        assertThat(json(r).path("problems").findValuesAsText("line")).contains(String.valueOf(line));
        assertThat(json(r).path("problems").toString()).contains("neither UTF-8 nor Shift_JIS nor EUC-JP");
    }

    // ---- mixed files without prompts (issue 15 item 5) ----------------------------------------------------------

    @Test
    void listingsOfSeveralKindsInOneFileAreEachReadByTheirOwnParser() throws Exception {
        Path rules = FX.resolve("seed/440-iptables-L.txt"), netstat = FX.resolve("lab/pa-440/netstat-tulpn.txt");
        Path mixed = tmp.resolve("mixed.txt");
        Files.writeString(mixed, Files.readString(rules) + Files.readString(netstat));
        JsonNode one = json(MainTest.run("audit", "--json", "--input", mixed.toString()));
        JsonNode two = json(MainTest.run("audit", "--json", "--input", rules.toString(), netstat.toString()));
        assertThat(one.path("problems").size()).isEqualTo(two.path("problems").size());
        assertThat(findings(one)).isEqualTo(findings(two));
        assertThat(verdicts(one)).isEqualTo(verdicts(two));
        assertThat(one.path("notes").get(0).asText()).contains("holds 2 listings of different kinds", "as iptables-L", "as netstat");
    }

    // ---- firewall FILE and inventory --from FILE read the same pastes ------------------------------------------

    @Test
    void firewallAndInventoryReadTheirPartsOfASerialLog() {
        String log = PASTES.resolve("serial-armadillo440.log").toString();
        MainTest.Run fw = MainTest.run("firewall", log);
        assertThat(fw.exit()).as(fw.err()).isZero();
        assertThat(fw.out()).contains("[" + log + ":35]", "ipv6 tcp:");
        assertThat(fw.err()).contains("the netstat output in it is not a ruleset").doesNotContain("error");
        MainTest.Run inv = MainTest.run("inventory", "--from", log);
        assertThat(inv.exit()).as(inv.err()).isZero();
        assertThat(inv.out()).contains("[::]:23", "all+ipv4", "0.0.0.0:161");
        assertThat(inv.err()).contains("the iptables-L output in it is not a socket listing");
    }
}
