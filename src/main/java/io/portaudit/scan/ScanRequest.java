package io.portaudit.scan;

import io.portaudit.model.PortSet;
import io.portaudit.model.ServiceNames;
import java.time.Duration;

/**
 * Everything one scan needs. Build with {@link #builder(TargetSpec, PortSpec)}.
 *
 * @param tcp            connect-scan TCP ports ({@code -sT}, the default)
 * @param udp            scan UDP ports ({@code -sU})
 * @param minRate        probes per second to keep up at least (0 = none), {@code --min-rate}
 * @param maxRate        probes per second never to exceed, all hosts together (0 = none), {@code --max-rate}
 * @param skipDiscovery  {@code -Pn}: treat every host as up
 * @param hostGroup      hosts scanned in parallel
 * @param serviceTimeout per-port bound of {@code -sV} (connect + reads)
 * @param pingOnly       {@code -sn}: host discovery only, no port scan (discovery runs even for one target)
 * @param sequential     {@code -r}: probe ports in ascending order instead of a random one
 */
public record ScanRequest(TargetSpec targets, PortSpec ports, boolean tcp, boolean udp, TimingTemplate timing,
                          double minRate, double maxRate, boolean skipDiscovery, boolean serviceDetection,
                          int hostGroup, Duration serviceTimeout, ServiceNames names, boolean pingOnly, boolean sequential) {

    public PortSet tcpPorts() {
        return tcp && !pingOnly ? ports.tcp() : PortSet.empty();
    }

    public PortSet udpPorts() {
        return udp && !pingOnly ? ports.udp() : PortSet.empty();
    }

    public static Builder builder(TargetSpec targets, PortSpec ports) {
        return new Builder(targets, ports);
    }

    public static final class Builder {
        private final TargetSpec targets;
        private final PortSpec ports;
        private boolean tcp = true, udp;
        private TimingTemplate timing = TimingTemplate.defaults();
        private double minRate, maxRate;
        private boolean skipDiscovery, serviceDetection;
        private int hostGroup = 32;
        private Duration serviceTimeout = Duration.ofSeconds(5);
        private ServiceNames names;
        private boolean pingOnly, sequential;

        Builder(TargetSpec targets, PortSpec ports) {
            this.targets = targets;
            this.ports = ports;
        }

        public Builder tcp(boolean b) { tcp = b; return this; }
        public Builder udp(boolean b) { udp = b; return this; }
        public Builder timing(TimingTemplate t) { timing = t; return this; }
        public Builder minRate(double r) { minRate = r; return this; }
        public Builder maxRate(double r) { maxRate = r; return this; }
        public Builder skipDiscovery(boolean b) { skipDiscovery = b; return this; }
        public Builder serviceDetection(boolean b) { serviceDetection = b; return this; }
        public Builder hostGroup(int n) { hostGroup = Math.max(1, n); return this; }
        public Builder serviceTimeout(Duration d) { serviceTimeout = d; return this; }
        public Builder names(ServiceNames n) { names = n; return this; }
        public Builder pingOnly(boolean b) { pingOnly = b; return this; }
        public Builder sequential(boolean b) { sequential = b; return this; }

        public ScanRequest build() {
            return new ScanRequest(targets, ports, tcp, udp, timing, minRate, maxRate, skipDiscovery, serviceDetection,
                    hostGroup, serviceTimeout, names == null ? ServiceNames.defaults() : names, pingOnly, sequential);
        }
    }
}
