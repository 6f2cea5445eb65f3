package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import io.portaudit.lab.LabExtension;
import io.portaudit.lab.LabTest;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortSet;
import io.portaudit.model.PortState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service detection ({@code -sV}) against real servers in a device of its own (pa-scan4,
 * 10.77.33.2 / fd77:33::2). UDP: dnsmasq (DNS, and TFTP serving a file), net-snmp's snmpd (community public, a board-like
 * sysDescr) and chronyd (NTP, local stratum 8). TCP: two X servers (Xvfb), display :40 with access
 * control off ({@code -ac}, the seed's open X11) and :41 with it on. The daemons are the Debian
 * binaries — dnsmasq-base and xvfb installed (no services), snmpd and chrony unpacked by
 * tools/install-deps — started only inside the namespace and stopped by pid.
 */
@LabTest
class ScanServicesLabTest {
    static final String NS = Lab.unique("pa-scan4"), LINK = Lab.uniqueLink("vpa-scan4"), V4 = "10.77.33.2", V6 = "fd77:33::2";
    static final String CACHE = System.getenv().getOrDefault("PORTAUDIT_LAB_CACHE", "/var/cache/portaudit-lab");
    static final String SNMPD = CACHE + "/snmpd/usr/sbin/snmpd", CHRONYD = CACHE + "/chrony/usr/sbin/chronyd", DNSMASQ = "/usr/sbin/dnsmasq",
            XVFB = "/usr/bin/Xvfb", X11VNC = "/usr/bin/x11vnc";
    static final String SSHD = CACHE + "/openssh/usr/sbin/sshd", DROPBEAR = CACHE + "/dropbear/usr/sbin/dropbear";
    /** SSH servers: OpenSSH with its defaults on 22, with old algorithms on 2222, dropbear with its defaults on 2022. */
    static final int SSH_STRONG = 22, SSH_WEAK = 2222, SSH_DROPBEAR = 2022;
    static final String PYTHON = "/usr/bin/python3", MOSQUITTO = CACHE + "/mosquitto/usr/sbin/mosquitto",
            COAP = "/usr/bin/coap-server-notls";
    /** MQTT brokers (mosquitto) on 1883: the one on the IPv4 address lets anonymous clients in, the IPv6 one needs a password. */
    static final int MQTT = 1883;
    static final Path MODBUS_SERVER = Path.of("src/test/resources/fixtures/scan/modbus_server.py").toAbsolutePath();
    /** VNC servers (x11vnc on display :40): 5900 without a password, 5901 with one. */
    static final int VNC_OPEN = 5900, VNC_PASSWORD = 5901;
    /** X displays :40 (no access control) and :41 (access control on): TCP ports 6040, 6041. */
    static final int X_OPEN = 6040, X_CLOSED = 6041;
    static final String SYS_DESCR = "Linux armadillo 4.14.336-at5 armv7l";
    /** openssl s_server with a self-signed certificate on a 1,024-bit RSA key (TLS 1.2). */
    static final int TLS_SHORT_KEY = 8443;
    /** The file the TFTP probe asks for ({@link UdpPayloads#tftp()}): served, it proves an unauthenticated read. */
    static final String TFTP_FILE = "portaudit-probe";
    static final Duration T = Duration.ofSeconds(30);
    static final List<Process> daemons = new ArrayList<>();
    static Path work;

    static void start(Path log, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        cmd.addAll(List.of(argv));
        daemons.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    @BeforeAll
    static void device() throws Exception {
        for (String bin : List.of(SNMPD, CHRONYD, DNSMASQ, XVFB, X11VNC, MOSQUITTO, COAP, SSHD, DROPBEAR)) LabExtension.require(Files.isExecutable(Path.of(bin)), bin);
        LabExtension.require(Lab.run(T, PYTHON, "-c", "import pymodbus.server").exit() == 0, "python3-pymodbus");
        cleanup();
        Lab.device(NS, LINK, "10.77.33.1/24", V4 + "/24", "fd77:33::1/64", V6 + "/64");
        work = Files.createTempDirectory("pa-udp-services");
        Files.writeString(work.resolve("snmpd.conf"), "agentAddress udp:" + V4 + ":161,udp6:[" + V6 + "]:161\nrocommunity public\n"
                + "rocommunity6 public\nsysDescr " + SYS_DESCR + "\n");
        Files.writeString(work.resolve("chrony.conf"), "local stratum 8\nallow all\nport 123\ncmdport 0\n"
                + "pidfile " + work.resolve("chronyd.pid") + "\ndriftfile " + work.resolve("drift") + "\n");
        Lab.run(T, "openssl", "req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", work.resolve("tls.key").toString(),
                "-out", work.resolve("tls.crt").toString(), "-days", "30", "-subj", "/CN=armadillo").requireOk("openssl req");
        start(work.resolve("tls.log"), "openssl", "s_server", "-accept", V4 + ":" + TLS_SHORT_KEY, "-cert", work.resolve("tls.crt").toString(),
                "-key", work.resolve("tls.key").toString(), "-cipher", "DEFAULT@SECLEVEL=0", "-www", "-quiet");
        // TFTP: dnsmasq answers a read request from a new port of its own (RFC 1350), and serves the probe's file
        Files.createDirectories(work.resolve("tftp"));
        Files.writeString(work.resolve("tftp").resolve(TFTP_FILE), "a file anyone can read\n");
        start(work.resolve("dnsmasq.log"), DNSMASQ, "-k", "--no-resolv", "--no-hosts", "-C", "/dev/null", "--pid-file=", "--port=53",
                "--listen-address=" + V4, "--listen-address=" + V6, "--bind-interfaces", "--user=root",
                "--enable-tftp", "--tftp-root=" + work.resolve("tftp"));
        start(work.resolve("snmpd.log"), SNMPD, "-f", "-Lo", "-C", "-c", work.resolve("snmpd.conf").toString(), "-u", "root");
        start(work.resolve("chronyd.log"), CHRONYD, "-d", "-x", "-u", "root", "-f", work.resolve("chrony.conf").toString());
        // no lock files, no unix sockets: nothing of the X servers outside the namespace
        start(work.resolve("x40.log"), XVFB, ":" + (X_OPEN - 6000), "-listen", "tcp", "-nolisten", "unix", "-nolock", "-ac");
        start(work.resolve("modbus.log"), PYTHON, MODBUS_SERVER.toString(), V4, "502");
        Files.writeString(work.resolve("passwd"), "");
        Files.writeString(work.resolve("mqtt-anon.conf"), "listener " + MQTT + " " + V4 + "\nallow_anonymous true\npersistence false\nuser root\n");
        Files.writeString(work.resolve("mqtt-auth.conf"), "listener " + MQTT + " " + V6 + "\nallow_anonymous false\n"
                + "password_file " + work.resolve("passwd") + "\npersistence false\nuser root\n");
        start(work.resolve("mqtt-anon.log"), MOSQUITTO, "-c", work.resolve("mqtt-anon.conf").toString());
        start(work.resolve("mqtt-auth.log"), MOSQUITTO, "-c", work.resolve("mqtt-auth.conf").toString());
        start(work.resolve("coap.log"), COAP, "-A", V4, "-p", "5683");
        Lab.run(T, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", work.resolve("host_ed25519").toString()).requireOk("host key");
        Lab.run(T, "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", work.resolve("host_rsa").toString()).requireOk("host key");
        Files.writeString(work.resolve("authorized_keys"), "");
        daemons.add(Lab.sshd(NS, SSHD, work, "sshd-strong", List.of(V4 + ":" + SSH_STRONG), List.of(work.resolve("host_ed25519")),
                work.resolve("authorized_keys"), null));
        daemons.add(Lab.sshd(NS, SSHD, work, "sshd-weak", List.of(V4 + ":" + SSH_WEAK), List.of(work.resolve("host_rsa")),
                work.resolve("authorized_keys"), null, "KexAlgorithms diffie-hellman-group1-sha1,curve25519-sha256\n"
                        + "Ciphers aes128-cbc,aes128-ctr\nMACs hmac-md5,hmac-sha2-256\nHostKeyAlgorithms ssh-rsa,rsa-sha2-256\n"));
        start(work.resolve("dropbear.log"), DROPBEAR, "-F", "-E", "-R", "-p", V4 + ":" + SSH_DROPBEAR);
        start(work.resolve("x41.log"), XVFB, ":" + (X_CLOSED - 6000), "-listen", "tcp", "-nolisten", "unix", "-nolock");
        // ready when all are bound in the namespace (bounded wait); x11vnc needs its X server first
        boolean vnc = false;
        for (int i = 0; i < 150; i++) {
            String ss = Lab.inNs(NS, T, "ss", "-Htuln").out();
            if (!vnc && ss.contains(":" + X_OPEN)) {
                vnc = true;
                Files.writeString(work.resolve("vnc.pass"), "secret\n");
                for (int port : List.of(VNC_OPEN, VNC_PASSWORD)) {
                    List<String> cmd = new ArrayList<>(List.of(X11VNC, "-display", "127.0.0.1:" + (X_OPEN - 6000), "-rfbport", "" + port,
                            "-forever", "-shared", "-norc", "-nocmds", "-noshm", "-noipv6"));
                    cmd.addAll(port == VNC_OPEN ? List.of("-nopw") : List.of("-passwdfile", work.resolve("vnc.pass").toString()));
                    start(work.resolve("vnc" + port + ".log"), cmd.toArray(String[]::new));
                }
            }
            if (ss.contains(V4 + ":53") && ss.contains(V4 + ":69 ") && ss.contains("[" + V6 + "]:69 ")
                    && ss.contains(V4 + ":161") && ss.contains(":123") && ss.contains(":" + X_OPEN)
                    && ss.contains(":" + X_CLOSED) && ss.contains(":" + VNC_OPEN) && ss.contains(":" + VNC_PASSWORD)
                    && ss.contains(V4 + ":502") && ss.contains(V4 + ":" + MQTT) && ss.contains("[" + V6 + "]:" + MQTT)
                    && ss.contains(V4 + ":5683") && ss.contains(V4 + ":" + SSH_STRONG) && ss.contains(V4 + ":" + SSH_WEAK)
                    && ss.contains(V4 + ":" + SSH_DROPBEAR) && ss.contains(V4 + ":" + TLS_SHORT_KEY)) return;
            Thread.sleep(100);
        }
        StringBuilder logs = new StringBuilder();
        for (String l : List.of("dnsmasq.log", "snmpd.log", "chronyd.log", "x40.log", "x41.log", "vnc5900.log", "vnc5901.log", "modbus.log",
                "mqtt-anon.log", "mqtt-auth.log", "coap.log", "sshd-strong.log", "sshd-weak.log", "dropbear.log", "tls.log")) logs.append(l).append(": ").append(Files.readString(work.resolve(l))).append('\n');
        throw new IllegalStateException("UDP servers did not start in " + NS + ":\n" + logs);
    }

    @AfterAll
    static void cleanup() throws Exception {
        for (Process p : daemons) Lab.stop(p);
        daemons.clear();
        Lab.removeDevice(NS, LINK);
        if (work != null) Lab.run(T, "rm", "-rf", work.toString());
    }

    /** A -T4 scan of these ports of {@code target}, with -sV when {@code versions}: results by "tcp/22", "udp/161". */
    static Map<String, PortResult> scan(String target, PortSet tcp, PortSet udp, boolean versions) {
        ScanRequest req = ScanRequest.builder(TargetSpec.parse(List.of(target), List.of(), true), PortSpec.of(tcp, udp))
                .tcp(!tcp.isEmpty()).udp(!udp.isEmpty()).serviceDetection(versions).timing(TimingTemplate.of(4)).build();
        Map<String, PortResult> out = new TreeMap<>();
        for (PortResult r : new Scanner().scan(req)) out.put(r.protocol().label() + "/" + r.port(), r);
        return out;
    }

    static PortSet ports(int... ports) {
        PortSet s = PortSet.empty();
        for (int p : ports) s = s.union(PortSet.of(p));
        return s;
    }

    /** One finding of the audit: its port ("tcp/22"), family, detail and remedies. */
    record Found(String port, String family, String detail, List<String> remedy) {}

    /**
     * The audit as a user runs it on a board without SSH: the device's own sockets ({@code ss -tulpn}
     * in the namespace, pasted) and a scan of {@code target} from here ({@code --scan-ports}). Returns
     * the findings with id {@code id}.
     */
    static List<Found> audit(String target, String scanPorts, String id) throws Exception {
        Path ss = Files.createTempFile(work, "ss", ".txt"), json = Files.createTempFile(work, "audit", ".json");
        Files.writeString(ss, Lab.inNs(NS, T, "ss", "-tulpn").out());
        Lab.Result r = Lab.run(Duration.ofMinutes(2), Lab.portaudit("audit", "--input", "ss:" + ss, "--scan", target,
                "--scan-ports", scanPorts, "-o", "json:" + json));
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        List<Found> out = new ArrayList<>();
        for (var f : io.portaudit.audit.JsonFindings.atoms(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()))) {
            if (!f.path("id").asText().equals(id)) continue;
            List<String> fix = new ArrayList<>();
            f.path("remedy").forEach(x -> fix.add(x.asText()));
            out.add(new Found(f.path("protocol").asText() + "/" + f.path("ports").path("from").asInt(), f.path("family").asText(),
                    f.path("detail").asText(), fix));
        }
        return out;
    }

    /** The detail of the insecure-protocol finding for {@code port} on {@code family}. */
    static String insecure(List<Found> found, String port, String family) {
        return found.stream().filter(f -> f.port().equals(port) && f.family().equals(family)).map(Found::detail).findFirst()
                .orElseThrow(() -> new AssertionError("no insecure-protocol finding for " + port + " " + family + ": " + found));
    }

    @Test
    void theServersSayWhatTheyAreOverIpv4AndIpv6() {
        for (String target : List.of(V4, V6)) {
            Map<String, PortResult> got = scan(target, PortSet.empty(), ports(53, 123, 161, 162), true);
            assertThat(got.get("udp/162").state()).as(target + " udp/162").isEqualTo(PortState.CLOSED);
            PortResult dns = got.get("udp/53"), ntp = got.get("udp/123"), snmp = got.get("udp/161");
            assertThat(List.of(dns, ntp, snmp)).as(target).allSatisfy(r -> assertThat(r.state()).isEqualTo(PortState.OPEN));
            assertThat(dns.product()).as(target).isEqualTo("dnsmasq");
            assertThat(dns.version()).as(target).matches("\\d+\\.\\d+.*");
            assertThat(ntp.product()).isEqualTo("NTP");
            assertThat(ntp.banner()).as(target).contains("stratum 8");
            assertThat(snmp.service()).isEqualTo("snmp");
            assertThat(snmp.banner()).as(target).isEqualTo("SNMPv1 agent answers community \"public\"; sysDescr: " + SYS_DESCR);
            proven(snmp, io.portaudit.model.Weakness.SNMP_COMMUNITY_PUBLIC);
        }
    }

    @Test
    void theAuditSaysTheAgentAnswersThePublicCommunity() throws Exception {
        assertThat(insecure(audit(V4, "U:53,123,161", "insecure-protocol"), "udp/161", "ipv4"))
                .contains("default community \"public\"").contains(SYS_DESCR);
    }

    @Test
    void aTftpServerThatAnswersFromANewPortServesAFileToAnyone() throws Exception {
        for (String target : List.of(V4, V6)) {
            PortResult tftp = scan(target, PortSet.empty(), ports(69), true).get("udp/69");
            assertThat(tftp.state()).as(target).isEqualTo(PortState.OPEN);
            assertThat(tftp.service()).isEqualTo("tftp");
            assertThat(tftp.banner()).as(target).isEqualTo("TFTP served a file to an unauthenticated read request");
            proven(tftp, io.portaudit.model.Weakness.TFTP_UNAUTHENTICATED_READ);
        }
        assertThat(insecure(audit(V4, "U:69", "insecure-protocol"), "udp/69", "ipv4"))
                .contains("answer to an unauthenticated read request");
    }

    @Test
    void anX11ServerWithoutAccessControlIsOpenToAnyone() throws Exception {
        for (String target : List.of(V4, V6)) {
            Map<String, PortResult> got = scan(target, ports(X_OPEN, X_CLOSED), PortSet.empty(), true);
            PortResult open = got.get("tcp/" + X_OPEN), closed = got.get("tcp/" + X_CLOSED);
            assertThat(open.service()).isEqualTo("x11");
            assertThat(open.product()).as(target).isEqualTo("The X.Org Foundation");
            assertThat(open.version()).as(target).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(open.banner()).as(target).startsWith("X11 open: no authentication needed");
            proven(open, io.portaudit.model.Weakness.X11_NO_ACCESS_CONTROL);
            assertThat(closed.weaknesses()).as(target).isEmpty();
            assertThat(closed.banner()).as(target).startsWith("X11 access denied: ");
            assertThat(closed.product()).isNull();
        }
        List<Found> found = audit(V4, "T:" + X_OPEN + "," + X_CLOSED, "insecure-protocol");
        assertThat(insecure(found, "tcp/" + X_OPEN, "ipv4")).contains("opened an X11 session without any authentication");
        assertThat(insecure(found, "tcp/" + X_CLOSED, "ipv4")).doesNotContain("opened an X11 session");
    }

    @Test
    void aVncServerWithoutAPasswordIsOpenToAnyone() throws Exception {
        Map<String, PortResult> got = scan(V4, ports(VNC_OPEN, VNC_PASSWORD), PortSet.empty(), true);
        assertThat(got.get("tcp/" + VNC_OPEN).service()).isEqualTo("vnc");
        assertThat(got.get("tcp/" + VNC_OPEN).banner()).isEqualTo("VNC protocol 3.8, security: None (no authentication)");
        proven(got.get("tcp/" + VNC_OPEN), io.portaudit.model.Weakness.VNC_NO_AUTH);
        assertThat(got.get("tcp/" + VNC_PASSWORD).banner()).isEqualTo("VNC protocol 3.8, security: VNC password");
        List<Found> found = audit(V4, "T:" + VNC_OPEN + "," + VNC_PASSWORD, "insecure-protocol");
        assertThat(insecure(found, "tcp/" + VNC_OPEN, "ipv4")).contains("without any password");
        assertThat(insecure(found, "tcp/" + VNC_PASSWORD, "ipv4")).doesNotContain("without any password");
    }

    @Test
    void aModbusDeviceTellsWhatItIsToAnyone() throws Exception {
        PortResult r = scan(V4, ports(502), PortSet.empty(), true).get("tcp/502");
        assertThat(r.service()).isEqualTo("modbus");
        assertThat(r.product()).isEqualTo("Atmark Techno AG-LAB");
        assertThat(r.version()).isEqualTo("3.1.4");
        proven(r, io.portaudit.model.Weakness.MODBUS_UNAUTHENTICATED);
        assertThat(insecure(audit(V4, "T:502", "insecure-protocol"), "tcp/502", "ipv4")).startsWith("Modbus/TCP has no authentication")
                .contains("read the device's identification without any authentication").contains("Atmark Techno");
    }

    @Test
    void anMqttBrokerThatTakesAnonymousClientsAndACoapServerSayWhatTheyAllow() throws Exception {
        Map<String, PortResult> v4 = scan(V4, ports(MQTT), ports(5683), true), v6 = scan(V6, ports(MQTT), PortSet.empty(), true);
        assertThat(v4.get("tcp/" + MQTT).banner()).isEqualTo("MQTT CONNACK: connection accepted without credentials");
        proven(v4.get("tcp/" + MQTT), io.portaudit.model.Weakness.MQTT_ANONYMOUS);
        assertThat(v6.get("tcp/" + MQTT).banner()).isEqualTo("MQTT CONNACK: not authorized");
        assertThat(v4.get("udp/5683").service()).isEqualTo("coap");
        assertThat(v4.get("udp/5683").banner()).startsWith("CoAP 2.05: </>;");
        proven(v4.get("udp/5683"), io.portaudit.model.Weakness.COAP_UNAUTHENTICATED);
        List<Found> found4 = audit(V4, "T:" + MQTT + ",U:5683", "insecure-protocol");
        assertThat(insecure(found4, "tcp/" + MQTT, "ipv4")).startsWith("MQTT without TLS").contains("without a user name or password");
        assertThat(insecure(found4, "udp/5683", "ipv4")).contains("read the resource list without any authentication");
        assertThat(insecure(audit(V6, "T:" + MQTT, "insecure-protocol"), "tcp/" + MQTT, "ipv6")).startsWith("MQTT without TLS")
                .doesNotContain("without a user name or password");
    }

    @Test
    void sshServersThatOfferWeakAlgorithmsAreAFinding() throws Exception {
        Map<String, PortResult> got = scan(V4, ports(SSH_STRONG, SSH_WEAK, SSH_DROPBEAR), PortSet.empty(), true);
        assertThat(got.get("tcp/" + SSH_STRONG).banner()).startsWith("SSH-2.0-OpenSSH_").endsWith("(no weak algorithms offered)");
        assertThat(got.get("tcp/" + SSH_STRONG).weaknesses()).isEmpty();
        proven(got.get("tcp/" + SSH_WEAK), io.portaudit.model.Weakness.SSH_WEAK_ALGORITHMS);
        proven(got.get("tcp/" + SSH_DROPBEAR), io.portaudit.model.Weakness.SSH_WEAK_ALGORITHMS);
        assertThat(got.get("tcp/" + SSH_WEAK).banner()).endsWith("(weak algorithms offered: kex diffie-hellman-group1-sha1; "
                + "host key ssh-rsa; cipher aes128-cbc; mac hmac-md5)");
        assertThat(got.get("tcp/" + SSH_DROPBEAR).product()).isEqualTo("Dropbear sshd");
        assertThat(got.get("tcp/" + SSH_DROPBEAR).banner()).contains("(weak algorithms offered: ").contains("ssh-dss");
        Map<String, List<String>> remedies = new TreeMap<>();
        for (Found f : audit(V4, "T:" + SSH_STRONG + "," + SSH_WEAK + "," + SSH_DROPBEAR, "weak-ssh-crypto")) remedies.put(f.port(), f.remedy());
        assertThat(remedies).containsOnlyKeys("tcp/" + SSH_WEAK, "tcp/" + SSH_DROPBEAR);
        assertThat(remedies.get("tcp/" + SSH_WEAK).get(0)).contains("KexAlgorithms -diffie-hellman-group1-sha1",
                "HostKeyAlgorithms -ssh-rsa", "Ciphers -aes128-cbc", "MACs -hmac-md5");
        assertThat(remedies.get("tcp/" + SSH_DROPBEAR).get(0)).startsWith("upgrade dropbear");
    }

    @Test
    void aTlsServerWithAShortKeyIsAProvenWeakness() {
        Map<String, PortResult> got = scan(V4, ports(TLS_SHORT_KEY), PortSet.empty(), true);
        PortResult tls = got.get("tcp/" + TLS_SHORT_KEY);
        assertThat(tls.tunnel()).isEqualTo("ssl");
        proven(tls, io.portaudit.model.Weakness.TLS_WEAK_CERTIFICATE);
        assertThat(tls.weakness(io.portaudit.model.Weakness.TLS_WEAK_CERTIFICATE).orElseThrow().detail()).contains("1024");
    }

    @Test
    void withoutVersionDetectionTheRawReplyIsKept() {
        PortResult snmp = scan(V4, PortSet.empty(), ports(161), false).get("udp/161");
        assertThat(snmp.state()).isEqualTo(PortState.OPEN);
        assertThat(snmp.product()).isNull();
        assertThat(snmp.banner()).contains("public").contains(SYS_DESCR);
    }

    /** The weakness is a fact of the scanned port, and survives portaudit's JSON line and nmap XML read back. */
    static void proven(PortResult r, String id) {
        assertThat(r.weakness(id)).as(r.port() + ": " + id).isPresent();
        assertThat(r.weakness(id).orElseThrow().detail()).isNotBlank();
        NmapOutputs.ScanImport json = NmapOutputs.readJsonLines("lab.json", JsonLinesOutput.toJson(r).toString());
        assertThat(json.ports().get(0).weaknesses()).as("json " + id).isEqualTo(r.weaknesses());
        PortTable t = new PortTable(r.address(), io.portaudit.model.ServiceNames.iana());
        t.put(r);
        java.io.StringWriter sw = new java.io.StringWriter();
        XmlOutput x = XmlOutput.toStream(new java.io.PrintWriter(sw, true));
        x.started(new ScanListener.ScanInfo("portaudit scan -sV", 1_700_000_000_000L, PortSet.range(1, 65535), PortSet.range(1, 65535), "test"));
        x.host(new HostReport(r.address(), true, "user-set", 300, 1_700_000_000_000L, 1_700_000_001_000L, false, t));
        x.finished(new ScanListener.ScanSummary(1_700_000_002_000L, 2.0, 1, 0, false, ""));
        StringBuilder xml = new StringBuilder(sw.toString());
        assertThat(NmapOutputs.readXml("lab.xml", xml.toString()).ports().get(0).weaknesses()).as("xml " + id).isEqualTo(r.weaknesses());
    }
}
