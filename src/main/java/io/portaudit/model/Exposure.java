package io.portaudit.model;

import java.util.List;

/**
 * What a remote host can reach, for one (family, protocol): a partition of 1-65535 into ranges
 * with one verdict each, sorted by port.
 */
public record Exposure(AddressFamily family, Protocol protocol, List<ExposureRange> ranges) {
    public Exposure {
        ranges = List.copyOf(ranges);
    }

    public ExposureRange at(int port) {
        int lo = 0, hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            ExposureRange r = ranges.get(mid);
            if (port < r.range().from()) hi = mid - 1;
            else if (port > r.range().to()) lo = mid + 1;
            else return r;
        }
        throw new IllegalArgumentException("port " + port + " outside the partition");
    }

    public PortSet ports(Verdict verdict) {
        return PortSet.of(ranges.stream().filter(r -> r.verdict() == verdict).map(ExposureRange::range).toList());
    }
}
