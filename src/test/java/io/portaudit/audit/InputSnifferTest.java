package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of output a person pastes is recognised from its content alone. */
class InputSnifferTest {
    static final Path FX = Path.of("src/test/resources/fixtures");

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "seed/440-iptables-L.txt, iptables-L",
        "seed/g3-iptables-L.txt, iptables-L",
        "lab/pa-440/iptables-L-v-n-line-numbers.txt, iptables-L",
        "lab/pa-440/iptables-S.txt, iptables-S",
        "lab/pa-440/iptables-save.txt, iptables-save",
        "lab/pa-nft/nft-list-ruleset.txt, nft",
        "lab/pa-nft/nft-j-list-ruleset.json, nft-json",
        "seed/440-netstat-a.txt, netstat",
        "lab/pa-440/netstat-tulpn.txt, netstat",
        "lab/pa-440/busybox-netstat-a.txt, netstat",
        "lab/pa-440/ss-tulpn.txt, ss",
        "lab/pa-440/proc-net-tcp6.txt, proc-net",
        "seed/440-nmap.txt, nmap-normal",
        "scan/nmap-pa440-top1000.xml, nmap-xml",
    })
    void sniffsTheKind(String file, String kind) throws Exception {
        String text = Files.readString(FX.resolve(file), StandardCharsets.UTF_8);
        assertThat(InputSniffer.sniff(text)).as(file).hasValue(kind);
    }

    @ParameterizedTest
    @CsvSource({"'hello, world'", "'Chain of custody: none'", "''"})
    void anythingElseIsNotGuessed(String text) {
        assertThat(InputSniffer.sniff(text)).isEmpty();
    }
}
