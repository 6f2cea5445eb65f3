package io.portaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.cli.MainTest;
import io.portaudit.model.DisplayWidth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 3, the audit side: the text table lines up in Japanese, and the texts of parse problems, baselines,
 * {@code --since}, fix scripts and stored findings are in the reader's language.
 */
class JapaneseAuditTextsTest {

    /** Where each cell of a table line starts, in terminal columns (cells are split at runs of blanks; the last keeps its blanks). */
    static List<Integer> starts(String line, int cells) {
        List<Integer> at = new ArrayList<>();
        int col = 0;
        boolean inCell = false;
        for (int i = 0; i < line.length() && at.size() <= cells; ) {
            int cp = line.codePointAt(i);
            i += Character.charCount(cp);
            boolean blank = cp == ' ';
            if (!blank && !inCell) {
                if (at.size() == cells) break;
                at.add(col);
            }
            inCell = !blank || (at.size() == cells && inCell);
            col += DisplayWidth.of(cp);
        }
        return at;
    }

    static List<String> table(String report, String header) {
        List<String> lines = report.lines().toList();
        int h = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(header)) h = i;
        assertThat(h).as("table header " + header).isNotNegative();
        List<String> t = new ArrayList<>();
        for (int i = h; i < lines.size() && !lines.get(i).isBlank(); i++) t.add(lines.get(i));
        return t;
    }

    @Test
    void theTextTableLinesUpInDisplayColumnsInBothLanguages() {
        for (String[] lang : new String[][] {{"ja", "種別"}, {"en", "PROTO"}}) {
            MainTest.Run r = JapaneseReportTest.audit(lang[0]);
            List<String> t = table(r.out(), lang[1]);
            assertThat(t.size()).as(lang[0]).isGreaterThan(3);
            List<Integer> head = starts(t.get(0), 7);
            assertThat(head).as(lang[0] + " header " + t.get(0)).hasSize(7);
            for (String row : t.subList(1, t.size())) {
                assertThat(starts(row, 7)).as(lang[0] + ": the columns of\n" + row + "\nagainst\n" + t.get(0)).isEqualTo(head);
            }
        }
    }

    @Test
    void displayWidthCountsEastAsianWideAsTwo() {
        assertThat(DisplayWidth.of("ポート")).isEqualTo(6);
        assertThat(DisplayWidth.of("PORT")).isEqualTo(4);
        assertThat(DisplayWidth.of("FW判定")).isEqualTo(6);
        assertThat(DisplayWidth.of("ｱ")).isEqualTo(1); // halfwidth katakana is narrow
        assertThat(DisplayWidth.of("ＡＢ")).isEqualTo(4); // fullwidth Latin is wide
        assertThat(DisplayWidth.pad("ポート", 8)).isEqualTo("ポート  ");
    }
}
