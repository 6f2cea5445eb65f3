package io.portaudit.firewall;

/**
 * One firewall text to read.
 *
 * @param kind   a {@link FirewallFormat} kind, or null to detect it from the content
 * @param source file name or command, used in problems and evidence ({@code rules.txt:12})
 * @param stderr what the tool wrote to stderr (warnings such as "iptables-legacy tables present"); may be null
 */
public record LabeledText(String kind, String source, String text, String stderr) {
    public LabeledText(String kind, String source, String text) {
        this(kind, source, text, null);
    }
}
