package io.portaudit.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void fieldsSplitOnWhitespaceAndUnicodeSpacesLikeTheRegex() {
        java.util.Random r = new java.util.Random(7);
        // a no-break space or an ideographic space separates fields as a space does (pasted from a browser or a Japanese IME)
        char[] alphabet = {' ', '\t', '\r', '\n', 0x0b, '\f', 'a', 'b', '/', '#', '\u3042', 0xa0, '\u3000', '\u202f', '\u200b'};
        for (int n = 0; n < 5000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(20); k > 0; k--) sb.append(alphabet[r.nextInt(alphabet.length)]);
            String line = sb.toString();
            String trimmed = line.replaceAll("^[\\s\\p{Zs}]+", "");
            String[] expected = trimmed.isEmpty() ? new String[0] : trimmed.split("[\\s\\p{Zs}]+");
            assertThat(Text.fields(line)).as("%s", Text.printable(line, 100)).containsExactly(expected);
        }
    }

    @Test
    void markupEscapesWhatXmlAndHtmlCannotCarry() {
        assertThat(Text.markup("<script>alert('x') & \"y\"</script>", false))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
        assertThat(Text.markup("a\nb\tc\u0001d\uffff", false)).isEqualTo("a\nb\tc\\x01d\\xffff");
        assertThat(Text.markup("a\nb\tc", true)).isEqualTo("a&#xa;b&#x9;c");
        // Japanese text and paired surrogates (emoji) pass; a lone surrogate does not
        assertThat(Text.markup("ポート😀", false)).isEqualTo("ポート😀");
        assertThat(Text.markup("x\ud800y", false)).isEqualTo("x\\xd800y");
        assertThat(Text.markup(null, false)).isEmpty();
    }

    @Test
    void printableShowsControlCharactersAndCuts() {
        assertThat(Text.printable("220 \u001b[31mred\r\n", 100)).isEqualTo("220 \\x1b[31mred\\r\\n");
        assertThat(Text.printable("abcdef", 3)).isEqualTo("abc…");
        assertThat(Text.lines("a\r\nb\rc\n")).containsExactly("a", "b", "c", "");
    }

    @Test
    void linesSplitAsTheRegexDid() {
        java.util.Random r = new java.util.Random(11);
        char[] alphabet = {'\r', '\n', 'a', ' ', '\u3042'};
        for (int n = 0; n < 5000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(12); k > 0; k--) sb.append(alphabet[r.nextInt(alphabet.length)]);
            String text = sb.toString();
            assertThat(Text.lines(text)).as("%s", Text.printable(text, 100)).containsExactly(text.split("\r\n|\n|\r", -1));
        }
    }
}
