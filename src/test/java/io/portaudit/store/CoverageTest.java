package io.portaudit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored coverage read without Jackson is the coverage Jackson reads, and anything else still goes through Jackson. */
class CoverageTest {
    @Test
    void theWrittenFormReadsBackAsJacksonReadsIt() throws Exception {
        List<Coverage> cases = List.of(
                new Coverage(List.of(), null, null, null),
                new Coverage(List.of("firewall", "listeners"), null, null, null),
                new Coverage(List.of("firewall", "listeners", "scan"), AddressFamily.IPV4, PortSet.of(List.of(new PortRange(1, 1000), PortRange.of(8080))), null),
                new Coverage(List.of("scan"), AddressFamily.IPV6, PortSet.empty(), PortSet.of(List.of(PortRange.of(53), new PortRange(100, 200)))));
        for (Coverage c : cases) {
            String json = c.toJson();
            assertThat(Coverage.parseWritten(json)).as(json).isNotNull().isEqualTo(c).isEqualTo(Coverage.parse(new ObjectMapper().readTree(json)));
            assertThat(Coverage.parse(json)).isEqualTo(c);
        }
    }

    @Test
    void otherFormsAreReadByJackson() {
        String spaced = "{ \"views\": [\"listeners\"], \"scan\": {\"family\": \"ipv4\", \"tcp\": \"22, 80\", \"udp\": \"\"} }";
        assertThat(Coverage.parseWritten(spaced)).isNull();
        Coverage c = Coverage.parse(spaced);
        assertThat(c.views()).containsExactly("listeners");
        assertThat(c.scanTcp().contains(80)).isTrue();
        assertThat(Coverage.parseWritten("{\"views\":[\"scan\"],\"scan\":{\"family\":\"ipv4\",\"tcp\":\"9-\",\"udp\":\"\"}}")).isNull();
    }
}
