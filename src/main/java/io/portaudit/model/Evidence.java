package io.portaudit.model;

/**
 * One piece of evidence for a finding, quoted from the view that saw it.
 *
 * @param view   {@code firewall}, {@code listener}, {@code scan}, {@code policy}
 * @param text   the line as the input had it: the rule, the socket line, the scan line
 * @param source where that line came from ({@code iptables-L.txt:4}, {@code /proc/net/tcp6:3}, {@code scan of 10.77.2.2})
 */
public record Evidence(String view, String text, String source) {}
