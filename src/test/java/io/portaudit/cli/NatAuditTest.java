package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NAT correlated with the listener it really reaches (issue 14 item 2), on outputs captured from the
 * pa-h3 NAT lab (see {@code NatLabTest}, which made them): a board whose nat PREROUTING REDIRECTs
 * tcp/2323 to a busybox telnetd on 23, and DNATs tcp/8080 podman-CNI style to a "container"
 * namespace (10.77.76.2:80, busybox httpd) behind a bridge, accepted on FORWARD by its policy.
 * Each firewall format the board printed is read with the board's ss and the scan from the host.
 */
class NatAuditTest {
    static final String DIR = "src/test/resources/fixtures/lab/nat/";

    static JsonNode audit(String... files) throws Exception {
        List<String> args = new ArrayList<>(List.of("audit", "--json", "--input"));
        for (String f : files) args.add(DIR + f);
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        return new ObjectMapper().readTree(r.out());
    }

    static JsonNode row(JsonNode root, int port) {
        for (JsonNode p : root.path("ports")) {
            if (p.path("port").asInt() == port && p.path("protocol").asText().equals("tcp") && p.path("family").asText().equals("ipv4")) return p;
        }
        throw new AssertionError("no ipv4 row for tcp/" + port + " in " + root.path("ports"));
    }

    static List<JsonNode> findings(JsonNode root, String id, int port) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : io.portaudit.audit.JsonFindings.atoms(root)) {
            if (f.path("id").asText().equals(id) && f.path("family").asText().equals("ipv4") && f.path("ports").path("from").asInt() <= port
                    && f.path("ports").path("to").asInt() >= port) {
                out.add(f);
            }
        }
        return out;
    }

    static String evidence(JsonNode f) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : f.path("evidence")) sb.append(e.path("view").asText()).append(": ").append(e.path("text").asText()).append('\n');
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables-save.txt", "nft-list-ruleset.txt", "iptables-L-v-n.txt iptables-L-v-n-t-nat.txt"})
    void aRedirectedPortIsTheListenerItReaches(String firewall) throws Exception {
        List<String> files = new ArrayList<>(List.of(firewall.split(" ")));
        files.add("ss-tulpn.txt");
        files.add("nmap-sT.txt");
        JsonNode root = audit(files.toArray(String[]::new));

        JsonNode r2323 = row(root, 2323);
        assertThat(r2323.path("firewall").path("verdict").asText()).isEqualTo("accept");
        assertThat(r2323.path("firewall").path("redirect").path("to").path("from").asInt()).isEqualTo(23);
        assertThat(r2323.path("firewall").path("redirect").path("toAddress").isNull()).isTrue();
        assertThat(r2323.path("service").asText()).as("what answers on 2323 is telnet, not 3d-nfsd").isEqualTo("telnet");
        assertThat(r2323.path("listeners")).extracting(l -> l.path("port").asInt()).containsExactly(23);
        assertThat(r2323.path("expectedScanState").asText()).isEqualTo("open");
        assertThat(r2323.path("scan").path("state").asText()).isEqualTo("open");

        // telnet reached on 2323 is insecure-protocol and an exposed service, the redirect in the evidence
        List<JsonNode> insecure = findings(root, "insecure-protocol", 2323);
        assertThat(insecure).hasSize(1);
        assertThat(evidence(insecure.get(0))).contains("redirected to port 23 by nat PREROUTING")
                .containsPattern("listener: tcp \\[::\\]:23 .*busybox");
        List<JsonNode> exposed = findings(root, "exposed-service", 2323);
        assertThat(exposed).hasSize(1);
        assertThat(exposed.get(0).path("title").asText()).contains("redirected to 23").contains("busybox");
        // the fix removes the redirect; a DROP of 2323 in the filter table would not close it (it sees 23)
        assertThat(exposed.get(0).path("remedy").toString()).doesNotContain("--dport 2323 -j DROP").doesNotContain("dport 2323 drop");
        assertThat(findings(root, "open-without-listener", 2323)).as("something listens where 2323 goes").isEmpty();
        assertThat(findings(root, "scan-disagrees", 2323)).isEmpty();
        assertThat(findings(root, "blocked-listener", 2323)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables-save.txt", "nft-list-ruleset.txt", "iptables-L-v-n.txt iptables-L-v-n-t-nat.txt"})
    void aPortDnatedToAContainerIsForwardedAndPossiblyOpen(String firewall) throws Exception {
        List<String> files = new ArrayList<>(List.of(firewall.split(" ")));
        files.add("ss-tulpn.txt");
        JsonNode root = audit(files.toArray(String[]::new));
        JsonNode r8080 = row(root, 8080);
        assertThat(r8080.path("firewall").path("verdict").asText()).as("FORWARD policy accept").isEqualTo("accept");
        assertThat(r8080.path("firewall").path("rule").path("chain").asText()).isEqualTo("FORWARD");
        assertThat(r8080.path("firewall").path("redirect").path("toAddress").asText()).isEqualTo("10.77.76.2");
        assertThat(r8080.path("firewall").path("redirect").path("to").path("from").asInt()).isEqualTo(80);
        assertThat(r8080.path("expectedScanState").isNull()).as("the container's listener is not in the board's view").isTrue();
        List<JsonNode> exposed = findings(root, "exposed-service", 8080);
        assertThat(exposed).hasSize(1);
        assertThat(exposed.get(0).path("title").asText()).contains("forwarded to 10.77.76.2:80");
        assertThat(exposed.get(0).path("detail").asText()).contains("is unknown").contains("possibly open");
        assertThat(evidence(exposed.get(0))).contains("forwarded to 10.77.76.2:80 by nat CNI-DN-2a0f7c1e9b3d5a8c4e6f1");
        assertThat(findings(root, "open-without-listener", 8080)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nmap-sT.txt", "portaudit-scan-oN.txt"})
    void theScanFromTheHostAgreesWithTheAudit(String scan) throws Exception {
        JsonNode root = audit("iptables-save.txt", "ss-tulpn.txt", scan);
        assertThat(row(root, 2323).path("scan").path("state").asText()).isEqualTo("open");
        assertThat(row(root, 8080).path("scan").path("state").asText()).isEqualTo("open");
        assertThat(findings(root, "scan-disagrees", 2323)).isEmpty();
        assertThat(findings(root, "scan-disagrees", 8080)).isEmpty();
        assertThat(findings(root, "exposed-service", 8080).get(0).path("title").asText()).endsWith("and reachable");
    }

    /** The board's ruleset with FORWARD's policy turned to drop and, when {@code dropSourceRule}, podman's "-s container accept" removed. */
    static JsonNode hardened(String firewall, boolean dropSourceRule) throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of(DIR + firewall));
        String h = firewall.startsWith("nft")
                ? text.replace("type filter hook forward priority filter; policy accept;", "type filter hook forward priority filter; policy drop;")
                : text.replaceFirst(":FORWARD ACCEPT", ":FORWARD DROP");
        if (dropSourceRule) h = h.replaceAll("(?m)^.*(-s 10\\.77\\.76\\.2/32 -j ACCEPT|ip saddr 10\\.77\\.76\\.2 counter).*\n", "");
        assertThat(h).isNotEqualTo(text);
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("pa-h3-fw", ".txt");
        try {
            java.nio.file.Files.writeString(tmp, h);
            MainTest.Run r = MainTest.run("audit", "--json", "--input", tmp.toString(), DIR + "ss-tulpn.txt");
            assertThat(r.exit()).as(r.err()).isIn(0, 1);
            return new ObjectMapper().readTree(r.out());
        } finally {
            java.nio.file.Files.delete(tmp);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables-save.txt", "nft-list-ruleset.txt"})
    void theForwardPathDecides(String firewall) throws Exception {
        // FORWARD policy drop, but podman's "-s 10.77.76.2 accept" may match a packet whose source a remote host
        // chooses: possibly open, never safe
        JsonNode maybe = hardened(firewall, false);
        assertThat(row(maybe, 8080).path("firewall").path("verdict").asText()).isEqualTo("unknown");
        assertThat(findings(maybe, "exposed-service", 8080)).singleElement()
                .satisfies(f -> assertThat(f.path("title").asText()).endsWith("possibly reachable"));
        // without it, FORWARD drops the forwarded packet: no row (a dropped port), no finding
        JsonNode closed = hardened(firewall, true);
        for (JsonNode p : closed.path("ports")) assertThat(p.path("port").asInt()).isNotEqualTo(8080);
        assertThat(findings(closed, "exposed-service", 8080)).isEmpty();
        // and the redirect to the board's own telnet is unchanged
        assertThat(findings(closed, "insecure-protocol", 2323)).hasSize(1);
    }

    /** Audits the given firewall file(s) and the board's ss with a container listing given as {@code ss@ADDRESS:FILE}. */
    static JsonNode withContainer(String firewall, String address, java.nio.file.Path containerListing) throws Exception {
        List<String> args = new ArrayList<>(List.of("audit", "--json", "--input"));
        for (String f : firewall.split(" ")) args.add(f.startsWith("/") ? f : DIR + f);
        args.add(DIR + "ss-tulpn.txt");
        args.add("ss@" + address + ":" + containerListing);
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        return new ObjectMapper().readTree(r.out());
    }

    static java.nio.file.Path variant(String file, String from, String to) throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of(DIR + file));
        String changed = text.replace(from, to);
        assertThat(changed).isNotEqualTo(text);
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("pa-h9-", "-" + file);
        java.nio.file.Files.writeString(tmp, changed);
        tmp.toFile().deleteOnExit();
        return tmp;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables-save.txt", "nft-list-ruleset.txt", "iptables-L-v-n.txt iptables-L-v-n-t-nat.txt"})
    void aPortDnatedToAContainerIsTheContainersListener(String firewall) throws Exception {
        JsonNode root = withContainer(firewall, "10.77.76.2", java.nio.file.Path.of(DIR + "container-ss-tulpn.txt"));
        JsonNode r8080 = row(root, 8080);
        assertThat(r8080.path("listeners")).singleElement().satisfies(l -> {
            assertThat(l.path("port").asInt()).isEqualTo(80);
            assertThat(l.path("netns").asText()).isEqualTo("10.77.76.2");
            assertThat(l.toString()).contains("busybox");
        });
        assertThat(r8080.path("expectedScanState").asText()).isEqualTo("open");
        List<JsonNode> exposed = findings(root, "exposed-service", 8080);
        assertThat(exposed).hasSize(1);
        assertThat(exposed.get(0).path("title").asText()).contains("forwarded to 10.77.76.2:80").endsWith("and reachable: busybox[19204] in network namespace 10.77.76.2");
        assertThat(evidence(exposed.get(0))).contains("forwarded to 10.77.76.2:80 by nat CNI-DN-2a0f7c1e9b3d5a8c4e6f1")
                .contains("the DNAT target 10.77.76.2 is held by network namespace 10.77.76.2")
                .containsPattern("listener: tcp \\[::\\]:80 .*busybox.* in network namespace 10.77.76.2");
        assertThat(exposed.get(0).path("detail").asText()).doesNotContain("unknown");
        assertThat(findings(root, "open-without-listener", 8080)).isEmpty();
        assertThat(findings(root, "insecure-protocol", 8080)).as("http is not judged insecure here").isEmpty();
        // the container's listener is not the board's: no row of its own for tcp/80
        for (JsonNode p : root.path("ports")) assertThat(p.path("port").asInt()).isNotEqualTo(80);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"iptables-save.txt", "nft-list-ruleset.txt"})
    void aContainerWithNothingOnTheTargetPortMakesTheForwardAClosedPort(String firewall) throws Exception {
        // the container's httpd moved to 81: nothing answers the forward on 80
        JsonNode root = withContainer(firewall, "10.77.76.2", variant("container-ss-tulpn.txt", "*:80 ", "*:81 "));
        JsonNode r8080 = row(root, 8080);
        assertThat(r8080.path("listeners")).isEmpty();
        assertThat(r8080.path("expectedScanState").asText()).isEqualTo("closed");
        assertThat(findings(root, "exposed-service", 8080)).isEmpty();
        List<JsonNode> idle = findings(root, "open-without-listener", 8080);
        assertThat(idle).singleElement().satisfies(f -> {
            assertThat(f.path("title").asText()).contains("forwarded to 10.77.76.2:80").endsWith("but nothing listens there");
            assertThat(f.path("detail").asText()).contains("network namespace 10.77.76.2").contains("no listener on tcp 80");
            assertThat(evidence(f)).contains("by nat CNI-DN-2a0f7c1e9b3d5a8c4e6f1");
        });
    }

    @org.junit.jupiter.api.Test
    void aScanThatSeesTheForwardOpenWhereTheContainerHasNothingIsNeverCalledClosed() throws Exception {
        MainTest.Run r = MainTest.run("audit", "--json", "--input", DIR + "iptables-save.txt", DIR + "ss-tulpn.txt", DIR + "nmap-sT.txt",
                "ss@10.77.76.2:" + variant("container-ss-tulpn.txt", "*:80 ", "*:81 "));
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(findings(root, "scan-disagrees", 8080)).hasSize(1);
        assertThat(findings(root, "exposed-service", 8080)).singleElement()
                .satisfies(f -> assertThat(f.path("title").asText()).endsWith("and reachable"));
    }

    @org.junit.jupiter.api.Test
    void telnetInAContainerReachedThroughDnatIsInsecure() throws Exception {
        java.nio.file.Path fw = variant("iptables-save.txt", "--to-destination 10.77.76.2:80", "--to-destination 10.77.76.2:23");
        java.nio.file.Path ct = variant("container-ss-tulpn.txt", "*:80 ", "*:23 ");
        JsonNode root = withContainer(fw.toString(), "10.77.76.2", ct);
        List<JsonNode> insecure = findings(root, "insecure-protocol", 8080);
        assertThat(insecure).singleElement().satisfies(f -> assertThat(evidence(f))
                .contains("forwarded to 10.77.76.2:23 by nat CNI-DN-2a0f7c1e9b3d5a8c4e6f1")
                .contains("held by network namespace 10.77.76.2"));
    }

    @org.junit.jupiter.api.Test
    void aListingOfAnotherAddressLeavesTheForwardUnknown() throws Exception {
        JsonNode root = withContainer("iptables-save.txt", "10.77.76.3", java.nio.file.Path.of(DIR + "container-ss-tulpn.txt"));
        assertThat(row(root, 8080).path("expectedScanState").isNull()).isTrue();
        assertThat(findings(root, "exposed-service", 8080)).singleElement()
                .satisfies(f -> assertThat(f.path("detail").asText()).contains("is unknown").contains("possibly open"));
    }

    @org.junit.jupiter.api.Test
    void aTaggedInputMustBeASocketListing() throws Exception {
        MainTest.Run bad = MainTest.run("audit", "--json", "--input", DIR + "ss-tulpn.txt", "@10.77.76.2:" + DIR + "iptables-save.txt");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("iptables-save.txt").contains("socket listing");
        MainTest.Run kind = MainTest.run("audit", "--json", "--input", "iptables-save@10.77.76.2:" + DIR + "iptables-save.txt");
        assertThat(kind.exit()).isEqualTo(2);
        assertThat(kind.err()).contains("KIND must be netstat, ss or proc-net");
    }
}
