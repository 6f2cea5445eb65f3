package io.portaudit.firewall;

import java.util.List;

/**
 * One rule as the input wrote it.
 *
 * @param index  1-based position in its chain ({@code --line-numbers})
 * @param text   the original line
 * @param source {@code file:line}
 * @param handle nft rule handle, or -1
 */
public record Rule(int index, List<Match> matches, Target target, String text, String source, int line, long handle) {
    public Rule {
        matches = List.copyOf(matches);
    }
}
