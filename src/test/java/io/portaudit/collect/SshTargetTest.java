package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SshTargetTest {
    @Test
    void parsesUserHostPort() {
        assertThat(SshTarget.parse("10.77.40.2", "root")).isEqualTo(new SshTarget("root", "10.77.40.2", 22));
        assertThat(SshTarget.parse("atmark@dev.local:2222", "root")).isEqualTo(new SshTarget("atmark", "dev.local", 2222));
        assertThat(SshTarget.parse("root@[fd77:2::2]:22", "x")).isEqualTo(new SshTarget("root", "fd77:2::2", 22));
        assertThat(SshTarget.parse("fd77:2::2", "x")).isEqualTo(new SshTarget("x", "fd77:2::2", 22));
        assertThat(new SshTarget("root", "h", 22).knownHostsName()).isEqualTo("h");
        assertThat(new SshTarget("root", "h", 2222).knownHostsName()).isEqualTo("[h]:2222");
    }

    @Test
    void refusesWhatCouldBecomeAnOption() {
        assertThatThrownBy(() -> SshTarget.parse("-oProxyCommand=x@h", "root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshTarget.parse("root@h;id", "root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshTarget.parse("root@h:99999", "root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshTarget.parse("root@[::1", "root")).isInstanceOf(IllegalArgumentException.class);
    }
}
