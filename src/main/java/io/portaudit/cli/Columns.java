package io.portaudit.cli;

import io.portaudit.model.DisplayWidth;
import io.portaudit.model.L10n;

/** Rows of the plain-text tables the store commands print: padded in terminal columns (a Japanese heading takes two a character). */
final class Columns {
    private Columns() {}

    /** Each cell but the last padded to its width and followed by one blank; the last as it is. */
    static String row(int[] widths, Object... cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = String.valueOf(cells[i]);
            sb.append(i == cells.length - 1 ? c : DisplayWidth.pad(c, widths[i]) + " ");
        }
        return sb.toString();
    }

    /**
     * A stored gate result (pass, fail, partial, ...) in the reader's language: Japanese readers get the report's word,
     * English ones the stored value unchanged.
     */
    static String result(String stored) {
        if (stored != null && L10n.ja() && L10n.has("cmd.status." + stored)) return L10n.t("cmd.status." + stored);
        if (stored == null || !L10n.ja() || !L10n.has("verdict." + stored)) return stored;
        return L10n.t("verdict." + stored);
    }

    /** A fleet job's or run's state (queued, running, done, ...) in the reader's language; English: unchanged. */
    static String state(String stored) {
        if (stored == null || !L10n.ja() || !L10n.has("cmd.fleet.state." + stored)) return stored;
        return L10n.t("cmd.fleet.state." + stored);
    }
}
