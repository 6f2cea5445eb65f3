package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Telnet and http bound to {@code ::} on a board with bindv6only=0, captured in a lab namespace
 * (fixtures/dualstack, see its README): a {@code ::} socket from a text listing takes IPv4 too
 * unless the input proves otherwise, and the audit and {@code inventory --from} read it the same way.
 */
class DualStackAuditTest {
    static final String FX = "src/test/resources/fixtures/dualstack/";

    static JsonNode audit(String... inputs) throws Exception {
        List<String> args = new ArrayList<>(List.of("audit", "--json", "--input"));
        args.addAll(List.of(inputs));
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isIn(ExitCodes.OK, ExitCodes.FINDINGS);
        return SeedAuditTest.json(r);
    }

    static JsonNode row(JsonNode root, int port, String family) {
        for (JsonNode p : root.path("ports")) {
            if (p.path("protocol").asText().equals("tcp") && p.path("port").asInt() == port && p.path("family").asText().equals(family)) {
                return p;
            }
        }
        throw new AssertionError("no row tcp/" + port + "/" + family);
    }

    /** Every listener the audit's port rows show, once each. */
    static List<JsonNode> listeners(JsonNode root) {
        java.util.Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (JsonNode p : root.path("ports")) for (JsonNode l : p.path("listeners")) out.putIfAbsent(l.path("source").asText(), l);
        return new ArrayList<>(out.values());
    }

    static String evidence(JsonNode root, String id, String portFamily) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
            if (!f.path("id").asText().equals(id)) continue;
            if (!(f.path("protocol").asText() + "/" + f.path("ports").path("from").asText() + "/" + f.path("family").asText()).equals(portFamily)) {
                continue;
            }
            for (JsonNode e : f.path("evidence")) sb.append(e.path("view").asText()).append(": ").append(e.path("text").asText()).append('\n');
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"netstat-a.txt", "busybox-netstat-tuln.txt", "busybox-netstat-a.txt"})
    void aBareColonColonListenerAnswersIpv4Too(String listing) throws Exception {
        JsonNode root = audit(FX + "iptables-L.txt", FX + listing, FX + "nmap-sT.txt");
        assertThat(SeedAuditTest.findings(root, "insecure-protocol")).contains("tcp/23/ipv4");
        assertThat(SeedAuditTest.findings(root, "exposed-service")).contains("tcp/23/ipv4", "tcp/80/ipv4");
        assertThat(SeedAuditTest.findings(root, "scan-disagrees")).isEmpty();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
            if (!f.path("id").asText().equals("open-without-listener")) continue;
            int from = f.path("ports").path("from").asInt(), to = f.path("ports").path("to").asInt();
            assertThat(f.path("title").asText()).doesNotContain("tcp/23 ", "tcp/80 ");
            assertThat(from == 23 && to == 23 || from == 80 && to == 80).as(f.toString()).isFalse();
        }
        for (int port : new int[] {23, 80}) {
            JsonNode r = row(root, port, "ipv4");
            assertThat(r.path("expectedScanState").asText()).isEqualTo("open");
            assertThat(r.path("scan").path("state").asText()).isEqualTo("open");
            assertThat(r.path("listeners").get(0).path("scope").asText()).isEqualTo("all+ipv4");
        }
        // the assumption is said where the IPv4 port meets the :: socket
        assertThat(evidence(root, "insecure-protocol", "tcp/23/ipv4")).contains("[::]:23", "assumed to take IPv4 too", "bindv6only=0");
    }

    @Test
    void withoutAScanTheExpectedStateIsOpenNotClosed() throws Exception {
        JsonNode root = audit(FX + "iptables-L.txt", FX + "netstat-a.txt");
        assertThat(row(root, 23, "ipv4").path("expectedScanState").asText()).isEqualTo("open");
        assertThat(SeedAuditTest.findings(root, "insecure-protocol")).contains("tcp/23/ipv4");
    }

    @Test
    void evidenceThatSettlesItIsUsedAndNamed(@TempDir Path dir) throws Exception {
        // the board's own sysctl says 0: dual-stack, with that reason
        JsonNode zero = audit(FX + "iptables-L.txt", FX + "netstat-a.txt", FX + "sysctl-bindv6only.txt");
        assertThat(evidence(zero, "insecure-protocol", "tcp/23/ipv4")).contains("net.ipv6.bindv6only=0");
        // ss -e shows the socket's own v6only:0; ss without -e prints * for a dual-stack ::
        JsonNode sse = audit(FX + "iptables-L.txt", FX + "ss-tulne.txt");
        assertThat(evidence(sse, "insecure-protocol", "tcp/23/ipv4")).contains("v6only:0");
        JsonNode ss = audit(FX + "iptables-L.txt", FX + "ss-tuln.txt");
        assertThat(SeedAuditTest.findings(ss, "insecure-protocol")).contains("tcp/23/ipv4");
        // bindv6only=1 (a sysctl -a dump holding it): v6-only, IPv4 tcp/23 has nobody behind it
        Path one = dir.resolve("sysctl-a.txt");
        Files.writeString(one, "net.ipv4.tcp_syncookies = 1\nnet.ipv6.bindv6only = 1\nnet.ipv6.conf.all.forwarding = 0\n");
        JsonNode v6 = audit(FX + "iptables-L.txt", FX + "netstat-a.txt", one.toString());
        assertThat(SeedAuditTest.findings(v6, "insecure-protocol")).doesNotContain("tcp/23/ipv4").contains("tcp/23/ipv6");
        assertThat(row(v6, 23, "ipv4").path("expectedScanState").asText()).isEqualTo("closed");
        assertThat(SeedAuditTest.findings(v6, "open-without-listener")).contains("tcp/23/ipv4");
        // ss -e v6only:1 settles it per socket
        Path ssV6 = dir.resolve("ss-v6only.txt");
        Files.writeString(ssV6, Files.readString(Path.of(FX + "ss-tulne.txt")).replace("v6only:0", "v6only:1").replace("  *:80 ", "[::]:80 ")
                .replace("  *:23 ", "[::]:23 "));
        JsonNode v6ss = audit(FX + "iptables-L.txt", ssV6.toString());
        assertThat(SeedAuditTest.findings(v6ss, "insecure-protocol")).doesNotContain("tcp/23/ipv4");
    }

    @Test
    void anIpv4SocketOnTheSamePortMakesTheColonColonOneV6Only() throws Exception {
        // the seed 440: 0.0.0.0:x11 beside :::x11, 0.0.0.0:5353 beside :::5353
        JsonNode root = SeedAuditTest.json(SeedAuditTest.audit440());
        assertThat(listeners(root)).hasSize(7);
        for (JsonNode l : listeners(root)) {
            if (l.path("family").asText().equals("ipv6")) {
                assertThat(l.path("scope").asText()).as(l.toString()).isEqualTo("all");
                assertThat(l.path("dualStack").asBoolean()).isFalse();
                assertThat(l.path("note").asText()).contains("an IPv4");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"netstat-a.txt", "busybox-netstat-tuln.txt", "ss-tuln.txt", "ss-tulne.txt"})
    void auditAndInventoryFromReadTheSameScope(String listing) throws Exception {
        MainTest.Run inv = MainTest.run("inventory", "--json", "--from", FX + listing);
        assertThat(inv.exit()).isEqualTo(ExitCodes.OK);
        JsonNode invRoot = SeedAuditTest.json(inv);
        JsonNode aud = audit(FX + "iptables-L.txt", FX + listing);
        List<String> fromInventory = new ArrayList<>(), fromAudit = new ArrayList<>();
        for (JsonNode l : invRoot.path("listeners")) fromInventory.add(l.path("port").asText() + " " + l.path("scope").asText() + " " + l.path("dualStack"));
        for (JsonNode l : listeners(aud)) fromAudit.add(l.path("port").asText() + " " + l.path("scope").asText() + " " + l.path("dualStack"));
        assertThat(fromAudit).isNotEmpty().containsExactlyInAnyOrderElementsOf(fromInventory);
    }
}
