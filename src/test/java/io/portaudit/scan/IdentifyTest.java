package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifyTest {
    @Test
    void ssh() {
        var id = ServiceProbe.identify("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", 22);
        assertThat(id.service()).isEqualTo("ssh");
        assertThat(id.product()).isEqualTo("OpenSSH");
        assertThat(id.version()).isEqualTo("9.2p1");
        assertThat(ServiceProbe.identify("SSH-2.0-dropbear_2020.81\r\n", 2222).product()).isEqualTo("Dropbear sshd");
    }

    @Test
    void ftpSmtpPopImap() {
        var ftp = ServiceProbe.identify("220 (vsFTPd 3.0.3)\r\n", 21);
        assertThat(ftp.service()).isEqualTo("ftp");
        assertThat(ftp.product()).isEqualTo("vsFTPd");
        assertThat(ftp.version()).isEqualTo("3.0.3");
        assertThat(ServiceProbe.identify("220 mail.example ESMTP Postfix\r\n", 25).service()).isEqualTo("smtp");
        assertThat(ServiceProbe.identify("+OK Dovecot ready.\r\n", 110).service()).isEqualTo("pop3");
        assertThat(ServiceProbe.identify("* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n", 143).service()).isEqualTo("imap");
    }

    @Test
    void telnetNegotiation() {
        assertThat(ServiceProbe.identify("\u00ff\u00fd\u0018\u00ff\u00fb\u0001", 23).service()).isEqualTo("telnet");
    }

    @Test
    void httpStatusServerAndTitle() {
        var id = ServiceProbe.identify("HTTP/1.1 200 OK\r\nServer: lighttpd/1.4.59\r\n\r\n<html><title>Armadillo\n setup</title>", 80);
        assertThat(id.service()).isEqualTo("http");
        assertThat(id.product()).isEqualTo("lighttpd");
        assertThat(id.version()).isEqualTo("1.4.59 (status 200, title \"Armadillo setup\")");
        var bare = ServiceProbe.identify("HTTP/1.0 404 Not Found\r\n\r\n", 8080);
        assertThat(bare.product()).isNull();
        assertThat(bare.version()).isEqualTo("(status 404)");
    }

    @Test
    void rtspAndMqtt() {
        assertThat(ServiceProbe.identify("RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: GStreamer RTSP server\r\n\r\n", 554).service()).isEqualTo("rtsp");
        assertThat(ServiceProbe.identify("\u0020\u0002\u0000\u0000", 1883).service()).isEqualTo("mqtt");
    }

    @Test
    void unknownBytesIdentifyNothing() {
        assertThat(ServiceProbe.identify("\u0001\u0002garbage", 9999)).isNull();
        assertThat(ServiceProbe.identify("", 9999)).isNull();
    }
}
