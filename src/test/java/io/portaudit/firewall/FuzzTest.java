package io.portaudit.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.PortRange;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Parser robustness: 100,000 mutated rulesets (truncation, reordered/deleted/duplicated lines, CRLF,
 * tabs, random character mutations) in every format, with a fixed seed. Parsing never throws; it
 * reports problems; and whatever was read still evaluates to a full partition of 1-65535.
 */
class FuzzTest {
    /** Small inputs (most of the run) and the larger real captures (one input in eight). */
    static final String[] SMALL = {"seed/a440-iptables-L.txt", "seed/g3-iptables-L.txt", "handmade/router-iptables-save.txt",
            "handmade/device-iptables-S.txt", "handmade/device-ip6tables-save.txt", "handmade/device-iptables-L-v.txt",
            "handmade/device-nft.txt", "handmade/device-nft.json", "broken/iptables-L-broken.txt", "broken/iptables-save-broken.txt",
            "broken/nft-truncated.txt"};
    static final String[] LARGE = {"captured/iptables-save-c.txt", "captured/iptables-L-v-n-line.txt", "captured/iptables-L-v.txt",
            "captured/ip6tables-L.txt", "captured/nft-native-a.txt", "captured/nft-native.json", "captured/nft-from-iptables.txt"};
    static final String[] CORPUS = java.util.stream.Stream.concat(Arrays.stream(SMALL), Arrays.stream(LARGE)).toArray(String[]::new);

    static String mutate(String s, Random r) {
        int op = r.nextInt(8);
        switch (op) {
            case 0 -> {
                return s.substring(0, r.nextInt(s.length() + 1));
            }
            case 1 -> {
                List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
                int a = r.nextInt(lines.size()), b = r.nextInt(lines.size());
                String t = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, t);
                return String.join("\n", lines);
            }
            case 2 -> {
                return s.replace("\n", "\r\n");
            }
            case 3 -> {
                return s.replace(' ', '\t');
            }
            case 4 -> {
                List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
                int a = r.nextInt(lines.size());
                if (r.nextBoolean()) lines.remove(a);
                else lines.add(r.nextInt(lines.size() + 1), lines.get(a));
                return String.join("\n", lines);
            }
            default -> {
                char[] c = s.toCharArray();
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n && c.length > 0; i++) {
                    int at = r.nextInt(c.length);
                    c[at] = switch (r.nextInt(6)) {
                        case 0 -> (char) r.nextInt(32);
                        case 1 -> "{}[]\"!:,-/;#*@".charAt(r.nextInt(14));
                        case 2 -> (char) ('0' + r.nextInt(10));
                        case 3 -> (char) (0x3000 + r.nextInt(200));
                        default -> (char) (32 + r.nextInt(95));
                    };
                }
                return new String(c);
            }
        }
    }

    @Test
    void hundredThousandMutationsNeverThrow() {
        ServiceNames names = ServiceNames.iana();
        String[] texts = Arrays.stream(CORPUS).map(Fixtures::read).toArray(String[]::new);
        String[] kinds = new String[texts.length];
        for (int i = 0; i < texts.length; i++) kinds[i] = FirewallFormat.detect(texts[i]).orElse("iptables-L");
        Random r = new Random(4);
        long problems = 0;
        for (int n = 0; n < 100_000; n++) {
            int k = r.nextInt(8) == 0 ? SMALL.length + r.nextInt(LARGE.length) : r.nextInt(SMALL.length);
            String text = mutate(texts[k], r);
            if (r.nextInt(3) == 0) text = mutate(text, r);
            String kind = r.nextBoolean() ? null : kinds[k];
            Problems p = new Problems();
            Ruleset rs;
            try {
                rs = FirewallFormat.parse(kind, "fuzz" + n, text, names, p);
                if (n % Integer.getInteger("fuzz.evalEvery", 16) == 0) {
                    Exposure e = Evaluator.exposure(List.of(rs), Packet.remote(AddressFamily.IPV4, Protocol.TCP));
                    int next = 1;
                    for (var x : e.ranges()) {
                        assertThat(x.range().from()).isEqualTo(next);
                        next = x.range().to() + 1;
                    }
                    assertThat(next).isEqualTo(PortRange.MAX + 1);
                }
            } catch (RuntimeException | AssertionError ex) {
                throw new AssertionError("input " + n + " (from " + CORPUS[k] + ", kind " + kind + ") threw: " + ex + "\n---\n" + text, ex);
            }
            problems += p.size();
        }
        assertThat(problems).as("mutations are reported").isPositive();
    }
}
