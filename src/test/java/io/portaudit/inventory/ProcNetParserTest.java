package io.portaudit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcNetParserTest {
    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    private static final String LISTEN_21 =
            "   0: 00000000:0015 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0\n";
    private static final String LISTEN_LO =
            "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 100 0 0 10 0\n";
    private static final String ESTABLISHED =
            "   2: 02024D0A:0015 01024D0A:C350 01 00000000:00000000 00:00000000 00000000     0        0 1003 1 0000000000000000 100 0 0 10 0\n";
    private static final String V6_ANY =
            "   0: 00000000000000000000000000000000:1770 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 100 0 0 10 0\n";

    @Test
    void readsListenersSkipsConnectionsAndDecodesEachAddress() {
        Problems problems = new Problems();
        List<Listener> ls = ProcNetParser.parse("tcp", HEADER + LISTEN_21 + LISTEN_LO + ESTABLISHED + V6_ANY + LISTEN_21.replace("1001", "1004"),
                Protocol.TCP, Map.of(), "net:[1]", problems);
        assertThat(problems.list()).isEmpty();
        assertThat(ls).extracting(l -> l.family() + " " + l.address() + " " + l.port() + " " + l.scope() + " " + l.inode() + " " + l.source())
                .containsExactly("IPV4 0.0.0.0 21 ALL 1001 tcp:2", "IPV4 127.0.0.1 8080 LOOPBACK 1002 tcp:3",
                        "IPV6 :: 6000 ALL 2001 tcp:5", "IPV4 0.0.0.0 21 ALL 1004 tcp:6");
        assertThat(ls.get(2).family()).isEqualTo(AddressFamily.IPV6);
        assertThat(ls.get(1).scope()).isEqualTo(BindScope.LOOPBACK);
    }

    @Test
    void crlfTabsAndBadLinesKeepTheirLineNumbers() {
        Problems problems = new Problems();
        String text = HEADER.replace("\n", "\r\n") + LISTEN_21.replace(' ', '\t').replace("\n", "\r\n")
                + "garbage line\r\n"
                + LISTEN_LO.replace(" 0A ", " ZZ ")
                + LISTEN_LO.replace("0100007F", "0100XX7F")
                + LISTEN_LO.replace(" 1002 ", " 12a4 ")
                + LISTEN_LO;
        List<Listener> ls = ProcNetParser.parse("t", text, Protocol.TCP, Map.of(), null, problems);
        assertThat(ls).extracting(l -> l.address() + ":" + l.port() + " " + l.source())
                .containsExactly("0.0.0.0:21 t:2", "127.0.0.1:8080 t:7");
        assertThat(problems.list()).extracting(ParseProblem::line).containsExactly(3, 4, 5, 6);
        assertThat(problems.list().get(1).message()).contains("bad socket state 'ZZ'");
        assertThat(problems.list().get(2).message()).contains("cannot read local address");
    }

    @Test
    void udpKeepsBoundSocketsOnly() {
        Problems problems = new Problems();
        String udp = "   5: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000   104        0 3001 2 0000000000000000 0\n"
                + "   6: 00000000:0000 00000000:0000 07 00000000:00000000 00:00000000 00000000   104        0 3002 2 0000000000000000 0\n"
                + "   7: 0202000A:0035 0102000A:C350 01 00000000:00000000 00:00000000 00000000   104        0 3003 2 0000000000000000 0";
        List<Listener> ls = ProcNetParser.parse("udp", udp, Protocol.UDP, Map.of(), null, problems);
        assertThat(ls).extracting(l -> l.address() + ":" + l.port() + " " + l.state()).containsExactly("0.0.0.0:5353 UNCONN");
        assertThat(problems.list()).isEmpty();
    }
}
