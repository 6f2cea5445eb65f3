package io.portaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.lab.Lab;
import io.portaudit.model.Protocol;
import java.io.File;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** With nmap installed, portaudit's --top-ports list is nmap's own (asked of nmap on loopback). */
class NmapTopPortsTest {
    @Test
    void top1000AndTop100EqualNmaps() {
        io.portaudit.lab.LabExtension.require(new File("/usr/bin/nmap").canExecute() && PortFrequencies.NMAP_SERVICES.toFile().canRead(),
                "nmap");
        for (int n : new int[] {100, 1000}) {
            Lab.Result r = Lab.run(Duration.ofSeconds(60), "nmap", "-sT", "-Pn", "-n", "--top-ports", Integer.toString(n),
                    "-oX", "-", "127.0.0.1");
            Matcher m = Pattern.compile(" services=\"([^\"]*)\"").matcher(r.out());
            assertThat(m.find()).as(r.err()).isTrue();
            assertThat(PortFrequencies.load().top(Protocol.TCP, n).toString()).isEqualTo(m.group(1));
        }
    }
}
