package io.portaudit.scan;

import io.portaudit.model.Text;
import io.portaudit.model.AddressText;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesAndBannersTest {
    @Test
    void ipv6IsWrittenInRfc5952Form() throws Exception {
        assertThat(AddressText.format(InetAddress.getByName("fd77:2:0:0:0:0:0:2"))).isEqualTo("fd77:2::2");
        assertThat(AddressText.format(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(AddressText.format(InetAddress.getByName("fd77:0:0:1:0:0:0:1"))).isEqualTo("fd77:0:0:1::1");
        assertThat(AddressText.format(InetAddress.getByName("fd77:1:2:3:4:5:6:7"))).isEqualTo("fd77:1:2:3:4:5:6:7");
        assertThat(AddressText.format(InetAddress.getByName("10.77.2.2"))).isEqualTo("10.77.2.2");
    }

    @Test
    void bannersEscapeEveryNonPrintableByte() {
        String telnet = "\u00ff\u00fd\u0001\r\nArmadillo login: ";
        assertThat(Text.banner(telnet, 100)).isEqualTo("\\xff\\xfd\\x01\\r\\nArmadillo login: ");
        assertThat(Text.banner("a\\b", 100)).isEqualTo("a\\\\b");
        assertThat(Text.banner("x".repeat(50), 10)).hasSize(11).endsWith("…");
    }
}
