package io.portaudit.firewall;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

final class Fixtures {
    private Fixtures() {}

    static String read(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/firewall/" + path)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** IANA plus the /etc/services of the machine the captures were taken on (it names 7000/tcp "bbs"). */
    static ServiceNames names() {
        return ServiceNames.iana().withServicesText("etc-services", read("captured/etc-services"), new Problems());
    }

    static Ruleset parse(String path, Problems problems) {
        return FirewallFormat.parse(null, path, read(path), names(), problems);
    }

    static Exposure expose(Ruleset rs, AddressFamily f, Protocol p) {
        return Evaluator.exposure(List.of(rs), Packet.remote(f, p));
    }

    /** "accept 20-23,80 | drop 1-19" style summary: verdict → ports. */
    static String summary(Exposure e) {
        StringBuilder sb = new StringBuilder();
        for (Verdict v : Verdict.values()) {
            var ps = e.ports(v);
            if (ps.isEmpty()) continue;
            if (!sb.isEmpty()) sb.append(" | ");
            sb.append(v.label()).append(' ').append(ps);
        }
        return sb.toString();
    }
}
