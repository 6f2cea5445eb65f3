package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.ServiceNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mangled pastes through the whole audit (sniff, parse, correlate, gate, every report): the only
 * failure allowed is a clear input error; everything else is reported, never thrown.
 */
class AuditRobustnessTest {
    static final List<String> FILES = List.of("seed/440-iptables-L.txt", "seed/440-netstat-a.txt", "seed/440-nmap.txt",
            "lab/pa-440/iptables-save.txt", "lab/pa-nft/nft-list-ruleset.txt", "lab/pa-nft/nft-j-list-ruleset.json",
            "lab/pa-440/ss-tulpn.txt", "lab/pa-440/busybox-netstat-a.txt", "lab/pa-440/proc-net-tcp.txt", "scan/nmap-pa440-top1000.xml");

    static String mutate(String s, Random rnd) {
        if (s.isEmpty()) return s;
        StringBuilder b = new StringBuilder(s);
        int n = 1 + rnd.nextInt(6);
        for (int i = 0; i < n && b.length() > 0; i++) {
            int at = rnd.nextInt(b.length());
            switch (rnd.nextInt(7)) {
                case 0 -> b.setLength(at); // truncated paste
                case 1 -> b.deleteCharAt(at);
                case 2 -> b.insert(at, (char) rnd.nextInt(0x3100)); // any char, Japanese included
                case 3 -> b.insert(at, "\r\n");
                case 4 -> b.insert(at, '\t');
                case 5 -> b.setCharAt(at, (char) (32 + rnd.nextInt(95)));
                default -> {
                    int to = Math.min(b.length(), at + rnd.nextInt(40));
                    b.insert(rnd.nextInt(b.length() + 1), b.substring(at, to)); // a duplicated piece
                }
            }
        }
        return b.toString();
    }

    @Test
    void mangledInputsNeverCrashTheAudit() throws Exception {
        Random rnd = new Random(7_2026_1129L);
        List<String> texts = new ArrayList<>();
        for (String f : FILES) texts.add(Files.readString(Path.of("src/test/resources/fixtures", f), StandardCharsets.UTF_8));
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC);
        int audited = 0, refused = 0;
        for (int iter = 0; iter < 1500; iter++) {
            List<InputSniffer.Labeled> in = new ArrayList<>();
            int k = 1 + rnd.nextInt(3);
            for (int j = 0; j < k; j++) {
                int pick = rnd.nextInt(texts.size());
                in.add(new InputSniffer.Labeled(FILES.get(pick), null, mutate(texts.get(pick), rnd)));
            }
            try {
                AuditInput input = InputSniffer.read(in, ServiceNames.iana(), java.time.Clock.systemUTC());
                AuditResult r = Auditor.audit(input, Policy.none(), null, ServiceNames.iana(), clock);
                for (String format : io.portaudit.report.Reports.FORMATS) {
                    io.portaudit.report.Reports.write(format, r, new java.io.StringWriter(), false);
                }
                FixScript.render(r);
                audited++;
            } catch (InputSniffer.InputException e) {
                assertThat(e.getMessage()).isNotBlank();
                refused++;
            }
        }
        assertThat(audited).isGreaterThan(500);
        assertThat(audited + refused).isEqualTo(1500);
    }
}
