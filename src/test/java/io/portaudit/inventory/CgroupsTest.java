package io.portaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgroupsTest {
    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "0::/system.slice/ssh.service, ssh.service, null",
        "1:name=systemd:/system.slice/vsftpd.service, vsftpd.service, null",
        "0::/system.slice/docker-0123456789abcdef0123456789abcdef.scope, null, docker:0123456789ab",
        "0::/machine.slice/libpod-abcdef0123456789abcdef0123456789.scope/container, null, podman:abcdef012345",
        "0::/lxc.payload.web1/system.slice/nginx.service, null, lxc:web1",
        "12:pids:/docker/0123456789abcdef0123456789abcdef, null, docker:0123456789ab",
        "1:name=openrc:/sshd, openrc:sshd, null",
        "0::/openrc.lighttpd, openrc:lighttpd, null",
        "0::/user.slice/user-1000.slice/session-2.scope, session-2.scope, null",
        "0::/, null, null",
        "-, null, null"})
    void unitAndContainerFromTheCgroupLine(String line, String unit, String container) {
        Cgroups.Info i = Cgroups.parse(line);
        assertThat(i.unit()).isEqualTo(unit);
        assertThat(i.container()).isEqualTo(container);
    }
}
