package io.portaudit.model;

import java.time.Instant;

/**
 * One raw text collected from a device: what a person would have typed a command to get.
 *
 * @param kind       what the text is, one of {@link DeviceSnapshot}'s {@code KIND_*} names or a kind sniffed from content
 * @param command    the command that produced it ({@code iptables-save}), or the file it was read from
 * @param exitStatus the command's exit status; null when read from a file or when it did not finish
 * @param stdout     the text itself (possibly cut at the size bound, see {@code truncated})
 * @param stderr     what the command wrote to stderr (warnings such as "iptables-legacy tables present")
 * @param collectedAt when it was collected
 * @param source     where: {@code local}, {@code ssh://root@10.77.2.2}, {@code bundle:dev.tar.gz}, a file path
 * @param truncated  true when the output was cut at the size bound or the command timed out
 * @param netns      the network namespace the text belongs to ({@code net:[4026531840]}), null for the device's own/unknown
 */
public record Capture(String kind, String command, Integer exitStatus, String stdout, String stderr, Instant collectedAt,
                      String source, boolean truncated, String netns) {

    public Capture(String kind, String command, Integer exitStatus, String stdout, String stderr, Instant collectedAt,
                   String source, boolean truncated) {
        this(kind, command, exitStatus, stdout, stderr, collectedAt, source, truncated, null);
    }

    public boolean ok() {
        return !truncated && (exitStatus == null || exitStatus == 0);
    }
}
