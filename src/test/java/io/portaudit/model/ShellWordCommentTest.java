package io.portaudit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link ShellWord#comment} replaces exactly what its former regular expression replaced, and nothing else. */
class ShellWordCommentTest {
    private static final Pattern BEFORE = Pattern.compile("[\\p{Cntrl}\\u0085\\u2028\\u2029]");

    @Test
    void everyCharIsTreatedAsTheRegularExpressionDid() {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) all.append((char) c);
        String s = all.toString();
        assertThat(ShellWord.comment(s)).isEqualTo(BEFORE.matcher(s).replaceAll(" "));
        assertThat(ShellWord.comment(s)).doesNotContain("\n", "\r", "\u0085", "\u2028", "\u2029", "\u007f", "\0");
    }

    @Test
    void randomTextsAndSurrogatePairsMatchTheRegularExpression() {
        Random r = new Random(15);
        String alphabet = "ab ;'\"#\t\n\r\u0000\u001f\u007f\u0080\u0085\u00a0\u2028\u2029\u3000\ud83d\ude00\ud800";
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(30); i > 0; i--) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            String s = sb.toString();
            assertThat(ShellWord.comment(s)).as("%s", s.codePoints().boxed().toList()).isEqualTo(BEFORE.matcher(s).replaceAll(" "));
        }
        assertThat(ShellWord.comment("plain text, nothing to do")).isSameAs("plain text, nothing to do");
        assertThat(ShellWord.comment(null)).isEmpty();
    }
}
