package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IdentifyTest {
    /** A reply captured from a real server answering portaudit's probe (hex), as Latin-1 text. */
    static String captured(String name) throws IOException {
        return Banner.latin1(HexFormat.of().parseHex(Files.readString(Path.of("src/test/resources/fixtures/scan", name + ".hex")).trim()));
    }

    @Test
    void x11FromRealXServers() throws IOException {
        // Xvfb 21.1.7 (Debian 12) with -ac, and with access control on: answers to ServiceDetector.X11_SETUP
        var open = TcpIdentify.identify(captured("x11/xvfb-no-access-control"), 6040);
        assertThat(open.service()).isEqualTo("x11");
        assertThat(open.product()).isEqualTo("The X.Org Foundation");
        assertThat(open.version()).isEqualTo("21.1.7");
        assertThat(open.banner()).isEqualTo("X11 open: no authentication needed (vendor The X.Org Foundation, release 12101007)");
        var denied = TcpIdentify.identify(captured("x11/xvfb-access-control"), 6041);
        assertThat(denied.service()).isEqualTo("x11");
        assertThat(denied.product()).isNull();
        assertThat(denied.banner()).isEqualTo("X11 access denied: Authorization required, but no authorization protocol specified");
        // an X.Org 1.20 release number, truncated replies, and the same bytes on a port that is not X11
        String old = open.banner().isEmpty() ? "" : captured("x11/xvfb-no-access-control");
        char[] c = old.toCharArray();
        c[8] = (char) (12011000 & 0xff);
        c[9] = (char) (12011000 >> 8 & 0xff);
        c[10] = (char) (12011000 >> 16 & 0xff);
        c[11] = (char) (12011000 >> 24 & 0xff);
        assertThat(TcpIdentify.identify(new String(c), 6000).version()).isEqualTo("1.20.11");
        for (int len = 1; len < 60; len++) TcpIdentify.identify(old.substring(0, len), 6000);
        assertThat(TcpIdentify.identify(old.substring(0, 30), 6000).banner()).isEqualTo("X11 open: no authentication needed");
        assertThat(TcpIdentify.identify(old, 8080)).as("not an X11 port").isNull();
    }

    @Test
    void sshKexinitFromRealServers() throws IOException {
        // each server's version line and KEXINIT after portaudit's "SSH-2.0-portaudit" (OpenSSH 9.2p1 and
        // dropbear 2022.83 of Debian 12; the second OpenSSH configured with old algorithms)
        var strong = TcpIdentify.identify(captured("ssh/openssh-9.2-default"), 22);
        assertThat(strong.product()).isEqualTo("OpenSSH");
        assertThat(strong.banner()).matches("SSH-2\\.0-OpenSSH_9\\.2p1 Debian-\\S+ \\(no weak algorithms offered\\)");
        var weak = TcpIdentify.identify(captured("ssh/openssh-9.2-weak-config"), 2222);
        assertThat(weak.banner()).endsWith("(weak algorithms offered: kex diffie-hellman-group1-sha1, diffie-hellman-group14-sha1; "
                + "host key ssh-rsa; cipher aes128-cbc, 3des-cbc; mac hmac-md5, hmac-sha1-96)");
        var dropbear = TcpIdentify.identify(captured("ssh/dropbear-2022.83-default"), 22);
        assertThat(dropbear.product()).isEqualTo("Dropbear sshd");
        assertThat(dropbear.banner()).isEqualTo("SSH-2.0-dropbear_2022.83 (weak algorithms offered: kex diffie-hellman-group14-sha1; "
                + "host key ssh-rsa, ssh-dss)");
        // a KEXINIT cut anywhere: the version line survives, nothing throws
        String full = captured("ssh/openssh-9.2-weak-config");
        for (int len = full.indexOf('\n') + 1; len < full.length(); len++) {
            assertThat(TcpIdentify.identify(full.substring(0, len), 22).product()).isEqualTo("OpenSSH");
        }
    }

    @Test
    void mqttFromARealBroker() throws IOException {
        // mosquitto 2.0.11 answering ServiceDetector's CONNECT (no user name, no password)
        var anon = TcpIdentify.identify(captured("mqtt/mosquitto-anonymous"), 1883);
        assertThat(anon.service()).isEqualTo("mqtt");
        assertThat(anon.banner()).isEqualTo("MQTT CONNACK: connection accepted without credentials");
        assertThat(TcpIdentify.identify(captured("mqtt/mosquitto-password"), 1884).banner()).isEqualTo("MQTT CONNACK: not authorized");
    }

    @Test
    void modbusFromARealServer() throws IOException {
        // pymodbus 3.0 (Debian 12) answering ServiceDetector.MODBUS_DEVICE_ID, and an unknown function
        var id = TcpIdentify.identify(captured("modbus/pymodbus-device-id"), 502);
        assertThat(id.service()).isEqualTo("modbus");
        assertThat(id.product()).isEqualTo("Atmark Techno AG-LAB");
        assertThat(id.version()).isEqualTo("3.1.4");
        assertThat(id.banner()).isEqualTo("Modbus/TCP device identification: vendor \"Atmark Techno\", product code \"AG-LAB\", revision \"3.1.4\"");
        assertThat(TcpIdentify.identify(captured("modbus/pymodbus-illegal-function"), 502).banner())
                .isEqualTo("Modbus/TCP exception 1 (illegal function) to function 90");
        String full = captured("modbus/pymodbus-device-id");
        for (int len = 1; len < full.length(); len++) TcpIdentify.identify(full.substring(0, len), 502);
        assertThat(TcpIdentify.identify("HTTP/1.0 200 OK\r\n\r\n", 502).service()).isEqualTo("http");
    }

    @Test
    void vncGreetingAndSecurityTypes() {
        var id = TcpIdentify.identify("RFB 003.008\n", 5900);
        assertThat(id.service()).isEqualTo("vnc");
        assertThat(id.version()).isEqualTo("protocol 3.8");
        assertThat(id.banner()).isEqualTo("VNC protocol 3.8");
        // RFC 6143 §7.1.2: 3.7+ lists the types offered; 3.3 names the one the server chose
        assertThat(TcpIdentify.identify("RFB 003.008\n\u0002\u0001\u0002", 5900).banner())
                .isEqualTo("VNC protocol 3.8, security: None (no authentication), VNC password");
        assertThat(TcpIdentify.identify("RFB 003.003\n\u0000\u0000\u0000\u0002", 5900).banner())
                .isEqualTo("VNC protocol 3.3, security: VNC password");
        assertThat(TcpIdentify.identify("RFB 003.008\n\u0000\u0000\u0000\u0000\u0005nope!", 5900).banner())
                .isEqualTo("VNC protocol 3.8, security: refused");
        assertThat(TcpIdentify.identify("RFB 003.008\n\u0005\u0012", 5900).banner()).as("a list cut short")
                .isEqualTo("VNC protocol 3.8, security: TLS");
        assertThat(TcpIdentify.identify("RFB x03.008\n", 5900)).isNull();
    }

    @Test
    void ssh() {
        var id = TcpIdentify.identify("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", 22);
        assertThat(id.service()).isEqualTo("ssh");
        assertThat(id.product()).isEqualTo("OpenSSH");
        assertThat(id.version()).isEqualTo("9.2p1");
        assertThat(TcpIdentify.identify("SSH-2.0-dropbear_2020.81\r\n", 2222).product()).isEqualTo("Dropbear sshd");
    }

    @Test
    void ftpSmtpPopImap() {
        var ftp = TcpIdentify.identify("220 (vsFTPd 3.0.3)\r\n", 21);
        assertThat(ftp.service()).isEqualTo("ftp");
        assertThat(ftp.product()).isEqualTo("vsFTPd");
        assertThat(ftp.version()).isEqualTo("3.0.3");
        assertThat(TcpIdentify.identify("220 mail.example ESMTP Postfix\r\n", 25).service()).isEqualTo("smtp");
        assertThat(TcpIdentify.identify("+OK Dovecot ready.\r\n", 110).service()).isEqualTo("pop3");
        assertThat(TcpIdentify.identify("* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n", 143).service()).isEqualTo("imap");
    }

    @Test
    void telnetNegotiation() {
        assertThat(TcpIdentify.identify("\u00ff\u00fd\u0018\u00ff\u00fb\u0001", 23).service()).isEqualTo("telnet");
    }

    @Test
    void httpStatusServerAndTitle() {
        var id = TcpIdentify.identify("HTTP/1.1 200 OK\r\nServer: lighttpd/1.4.59\r\n\r\n<html><title>Armadillo\n setup</title>", 80);
        assertThat(id.service()).isEqualTo("http");
        assertThat(id.product()).isEqualTo("lighttpd");
        assertThat(id.version()).isEqualTo("1.4.59");
        assertThat(id.extraInfo()).isEqualTo("status 200, title \"Armadillo setup\"");
        assertThat(id.cpe()).containsExactly("cpe:/a:lighttpd:lighttpd:1.4.59");
        var bare = TcpIdentify.identify("HTTP/1.0 404 Not Found\r\n\r\n", 8080);
        assertThat(bare.product()).isNull();
        assertThat(bare.version()).isNull();
        assertThat(bare.extraInfo()).isEqualTo("status 404");
    }

    @Test
    void rtspAndMqtt() {
        assertThat(TcpIdentify.identify("RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: GStreamer RTSP server\r\n\r\n", 554).service()).isEqualTo("rtsp");
        assertThat(TcpIdentify.identify("\u0020\u0002\u0000\u0000", 1883).service()).isEqualTo("mqtt");
    }

    @Test
    void unknownBytesIdentifyNothing() {
        assertThat(TcpIdentify.identify("\u0001\u0002garbage", 9999)).isNull();
        assertThat(TcpIdentify.identify("", 9999)).isNull();
    }
}
