package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 items 1-3 and issue 14 item 3, one fixture per class of damage (fixtures/damaged/, made from the seed's and
 * the lab's captures): every line is understood, knowingly ignored, or an error naming its line — and an error on a line
 * that could hold a rule, a listener or a scanned port makes the audit incomplete (exit 3), never a pass.
 */
class ParseDisciplineTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC);
    static final ServiceNames NAMES = ServiceNames.iana();

    static String fx(String p) {
        try {
            return Files.readString(Path.of("src/test/resources/fixtures", p), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static InputSniffer.Labeled in(String file) {
        return new InputSniffer.Labeled(file, null, fx(file));
    }

    static InputSniffer.Labeled in(String kind, String file) {
        return new InputSniffer.Labeled(file, kind, fx(file));
    }

    static AuditResult audit(InputSniffer.Labeled... inputs) throws Exception {
        return Auditor.audit(InputSniffer.read(List.of(inputs), NAMES, java.time.Clock.systemUTC()), Policy.none(), null, NAMES, CLOCK);
    }

    static List<ParseProblem> errors(AuditResult r) {
        return r.problems().stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).toList();
    }

    static boolean listens(AuditResult r, int port) {
        return r.listeners().stream().anyMatch(l -> l.protocol() == Protocol.TCP && l.port() == port);
    }

    static Verdict verdict(AuditResult r, AddressFamily fam, Protocol p, int port) {
        return r.firewall().exposures().stream().filter(e -> e.family() == fam && e.protocol() == p)
                .flatMap(e -> e.ranges().stream()).filter(x -> x.range().from() <= port && port <= x.range().to())
                .map(x -> x.verdict()).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------ item 1: no line dropped without a word

    @Test
    void unicodeSpacesInANetstatListingAreSpacesAndLoseNothing() throws Exception {
        AuditResult orig = audit(in("seed/440-iptables-L.txt"), in("seed/440-netstat-a.txt"));
        for (String f : List.of("damaged/netstat-title-nbsp.txt", "damaged/netstat-listen-nbsp.txt")) {
            AuditResult r = audit(in("seed/440-iptables-L.txt"), in(f));
            assertThat(r.listeners()).as(f).hasSameSizeAs(orig.listeners());
            assertThat(listens(r, 23)).as(f).isTrue();
            assertThat(r.problems()).as(f).isEmpty();
            assertThat(r.exitCode()).as(f).isEqualTo(orig.exitCode()).isEqualTo(1);
        }
        AuditResult forced = audit(in("seed/440-iptables-L.txt"), in("netstat", "damaged/netstat-title-nbsp.txt"));
        assertThat(forced.listeners()).hasSameSizeAs(orig.listeners());
    }

    @Test
    void aMisspeltStateOrAControlByteIsAnErrorOnItsLineAndTheSocketIsStillAPossibleListener() throws Exception {
        for (String f : List.of("damaged/netstat-state-misspelt.txt", "damaged/netstat-control-byte.txt")) {
            AuditResult r = audit(in("seed/440-iptables-L.txt"), in(f));
            assertThat(errors(r)).as(f).singleElement().satisfies(p -> {
                assertThat(p.source()).isEqualTo(f);
                assertThat(p.line()).isEqualTo(6);
                assertThat(p.column()).isPositive();
            });
            assertThat(listens(r, 23)).as(f + ": telnet is not lost").isTrue();
            assertThat(r.exitCode()).as(f).isEqualTo(3);
            assertThat(r.unreadable()).isTrue();
        }
        AuditResult ss = audit(in("seed/440-iptables-L.txt"), in("damaged/ss-state-misspelt.txt"));
        assertThat(errors(ss)).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(6));
        assertThat(listens(ss, 23)).isTrue();
        assertThat(ss.exitCode()).isEqualTo(3);
        AuditResult ssNbsp = audit(in("seed/440-iptables-L.txt"), in("damaged/ss-listen-nbsp.txt"));
        assertThat(listens(ssNbsp, 23)).isTrue();
        assertThat(ssNbsp.problems()).isEmpty();
    }

    @Test
    void aUnixSectionHeaderInTheMiddleLosesNoSocketLine() throws Exception {
        AuditResult r = audit(in("seed/440-iptables-L.txt"), in("damaged/netstat-unix-header-middle.txt"));
        assertThat(listens(r, 23)).isTrue();
        assertThat(r.listeners()).hasSize(7);
        assertThat(r.problems()).isNotEmpty().allMatch(p -> p.message().contains("after the UNIX-section header"));
    }

    @Test
    void aRepeatedChainHeaderInAListingIsAnErrorAndNoAcceptedPortBecomesDrop() throws Exception {
        AuditResult orig = audit(in("seed/440-iptables-L.txt"));
        AuditResult r = audit(in("damaged/iptables-L-chain-header-twice.txt"));
        assertThat(errors(r)).isNotEmpty().allMatch(p -> p.line() == 2 || p.line() == 1);
        for (int port : List.of(21, 22, 23, 80)) {
            assertThat(verdict(orig, AddressFamily.IPV4, Protocol.TCP, port)).isEqualTo(Verdict.ACCEPT);
            assertThat(verdict(r, AddressFamily.IPV4, Protocol.TCP, port).mayReach()).as("tcp/" + port).isTrue();
        }
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void aDamagedProtocolColumnMakesTheRuleUnknownNotAbsent() throws Exception {
        AuditResult r = audit(in("damaged/iptables-L-protocol-control.txt"));
        assertThat(errors(r)).isNotEmpty().allMatch(p -> p.line() == 6).anyMatch(p -> p.message().contains("unknown protocol"));
        assertThat(verdict(r, AddressFamily.IPV4, Protocol.TCP, 23)).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void anUnreadableRuleInAnEmptyAcceptChainIsAnError() throws Exception {
        AuditResult r = audit(in("damaged/g3-iptables-L-unreadable-rule.txt"), in("seed/g3-netstat-a.txt"));
        assertThat(errors(r)).isNotEmpty().anyMatch(p -> p.line() == 3);
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void aNulInAnNmapPortLineKeepsThePortAndSaysSo() throws Exception {
        AuditResult r = audit(in("damaged/nmap-nul.txt"));
        assertThat(errors(r)).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(8));
        assertThat(r.scan().results()).anyMatch(p -> p.port() == 23);
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void aDamagedNftJsonKeyOrProtocolMakesTheRuleUnknown() throws Exception {
        for (String f : List.of("damaged/nft-json-damaged-key.json", "damaged/nft-json-damaged-protocol.json")) {
            AuditResult r = audit(in(f));
            assertThat(errors(r)).as(f).isNotEmpty();
            assertThat(verdict(r, AddressFamily.IPV4, Protocol.TCP, 23)).as(f).isEqualTo(Verdict.UNKNOWN);
            assertThat(r.exitCode()).as(f).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------ item 2: structural checks

    @Test
    void anIptablesSaveCutBeforeCommitLeavesTheRestUnknown() throws Exception {
        AuditResult r = audit(in("damaged/iptables-save-cut.txt"));
        assertThat(errors(r)).singleElement().satisfies(p -> assertThat(p.message()).contains("not closed by COMMIT"));
        // tcp/21 was accepted after the cut: it must not read as dropped
        assertThat(verdict(r, AddressFamily.IPV4, Protocol.TCP, 21)).isEqualTo(Verdict.UNKNOWN);
        assertThat(verdict(r, AddressFamily.IPV4, Protocol.TCP, 23)).isEqualTo(Verdict.ACCEPT);
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void aChainDeclaredTwiceIsAnError() throws Exception {
        AuditResult r = audit(in("damaged/iptables-save-chain-twice.txt"));
        assertThat(errors(r)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("declared twice");
        });
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void junkAfterATableHeaderMakesTheTableUnknown() throws Exception {
        AuditResult r = audit(in("ip6tables-save", "damaged/ip6tables-save-junk.txt"));
        assertThat(errors(r)).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(3));
        assertThat(verdict(r, AddressFamily.IPV6, Protocol.TCP, 23)).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void unbalancedNftBracesAreAnErrorAndNoPortReadsAsDropped() throws Exception {
        AuditResult orig = audit(in("lab/pa-440/nft-list-ruleset.txt"));
        for (String f : List.of("damaged/nft-extra-brace.txt", "damaged/nft-cut.txt")) {
            AuditResult r = audit(in(f));
            assertThat(errors(r)).as(f).isNotEmpty();
            for (int port : List.of(21, 22, 80, 161, 2000)) {
                if (verdict(orig, AddressFamily.IPV4, Protocol.TCP, port).mayReach()) {
                    assertThat(verdict(r, AddressFamily.IPV4, Protocol.TCP, port).mayReach()).as(f + " tcp/" + port).isTrue();
                }
            }
            assertThat(r.exitCode()).as(f).isEqualTo(3);
        }
    }

    // ------------------------------------------------------------------ item 3 and the gate

    @Test
    void anIdeographicSpaceInProcNetTcp6IsASpace() throws Exception {
        AuditResult r = audit(in("seed/440-iptables-L.txt"), in("proc-net", "damaged/proc-net-tcp6-ideographic.txt"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.listeners()).anyMatch(l -> l.port() == 6000 && l.family() == AddressFamily.IPV6);
    }

    @Test
    void anUnreadableListenerLineMakesTheAuditIncompleteUnlessAccepted() throws Exception {
        // telnet's line of /proc/net/tcp with a stray byte inside its port
        String damaged = fx("lab/pa-440/proc-net-tcp.txt").replace("00000000:0017 ", "00000000:00\u000217 ");
        List<InputSniffer.Labeled> inputs = List.of(in("seed/440-iptables-L.txt"),
                new InputSniffer.Labeled("proc-net-tcp", "proc-net", damaged));
        AuditInput input = InputSniffer.read(inputs, NAMES, java.time.Clock.systemUTC());
        AuditResult r = Auditor.audit(input, Policy.none(), null, NAMES, CLOCK);
        assertThat(errors(r)).isNotEmpty();
        assertThat(r.exitCode()).isEqualTo(3);
        Gate.Gated g = r.outcome().atoms().stream().filter(x -> x.finding().id().equals("unparsed-input")).findFirst().orElseThrow();
        assertThat(g.finding().detail()).contains("any port");
        assertThat(g.finding().evidence()).anyMatch(e -> e.source().startsWith("proc-net-tcp:4"));

        AuditResult accepted = Auditor.audit(input, Policy.none(), null, NAMES, CLOCK, true);
        assertThat(accepted.exitCode()).isNotEqualTo(3);
        assertThat(accepted.outcome().atoms()).anyMatch(x -> x.finding().id().equals("unparsed-input")
                && x.status() == Gate.Status.ACCEPTED && x.note().contains("--accept-unreadable"));

        Policy withException = new Policy(null, null, List.of(), io.portaudit.model.Severity.HIGH, Set.of(), Map.of(),
                List.of(new Policy.Exception("unparsed-input", null, null, "serial console noise, reviewed", null)), "p.yaml");
        AuditResult byPolicy = Auditor.audit(input, withException, null, NAMES, CLOCK);
        assertThat(byPolicy.exitCode()).isNotEqualTo(3);
        assertThat(byPolicy.outcome().atoms()).anyMatch(x -> x.finding().id().equals("unparsed-input")
                && x.status() == Gate.Status.ACCEPTED);
    }

    @Test
    void aFileFromWhichNothingCouldBeReadIsAnInputErrorNamingFileAndKind() {
        assertThatThrownBy(() -> audit(in("seed/440-iptables-L.txt"), in("netstat", "lab/pa-440/iptables-save.txt")))
                .isInstanceOf(InputSniffer.InputException.class)
                .hasMessageContaining("lab/pa-440/iptables-save.txt").hasMessageContaining("netstat");
        assertThatThrownBy(() -> audit(in("iptables-save", "seed/440-netstat-a.txt")))
                .isInstanceOf(InputSniffer.InputException.class).hasMessageContaining("iptables-save");
        assertThatThrownBy(() -> audit(in("nmap-normal", "seed/440-netstat-a.txt")))
                .isInstanceOf(InputSniffer.InputException.class).hasMessageContaining("nmap-normal");
    }

    @Test
    void everyDamagedFixtureIsNamedNeverSilentlySafer() throws Exception {
        // the whole fixtures/damaged directory: each gives a problem or the original's result
        List<String> silent = new ArrayList<>();
        try (var files = Files.list(Path.of("src/test/resources/fixtures/damaged"))) {
            for (Path p : files.sorted().toList()) {
                String fn = p.getFileName().toString();
                if (fn.endsWith(".md") || fn.endsWith(".tsv")) continue;
                String name = "damaged/" + fn;
                String kind = name.contains("ip6tables-save") ? "ip6tables-save" : name.contains("proc-net") ? "proc-net" : null;
                try {
                    AuditResult r = audit(kind == null ? in(name) : in(kind, name));
                    if (r.problems().isEmpty() && !name.contains("nbsp") && !name.contains("ideographic")) silent.add(name);
                } catch (InputSniffer.InputException e) {
                    assertThat(e.getMessage()).as(name).contains(name); // refused with its name: exit 2, not a pass
                }
            }
        }
        assertThat(silent).isEmpty();
    }
}
