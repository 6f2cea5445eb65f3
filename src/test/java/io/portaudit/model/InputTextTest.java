package io.portaudit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one reading every parser's text goes through: decoding, BOM, line ends, Unicode spaces. */
class InputTextTest {
    static final Path PASTES = Path.of("src/test/resources/fixtures/pastes");

    @Test
    void lineEndsBomAndUnicodeSpacesAreNormalisedWithoutMovingLinesOrColumns() {
        String text = "\uFEFFChain INPUT (policy DROP)\r\ntarget\u00a0    prot\r\rACCEPT\u3000tcp\u2003x\u202fy\n";
        String n = InputText.normalize(text);
        assertThat(n).isEqualTo("Chain INPUT (policy DROP)\ntarget     prot\n\nACCEPT tcp x y\n");
        // CRLF is one line end, a lone CR another: the line count is the one an editor shows
        assertThat(Text.lines(n)).hasSize(Text.lines(text).length);
        // columns stay: one space for one Unicode space
        assertThat(Text.lines(n)[3].indexOf("tcp")).isEqualTo(Text.lines(text)[3].indexOf("tcp"));
    }

    @Test
    void damageIsNotNormalisedAway() {
        // tabs (the socket-owners table is tab-separated), control bytes, NUL, U+FFFD, zero-width and line separators stay,
        // so that a parser sees them and reports the line instead of reading it as whole
        String text = "a\tb\u0001c\u0000d\uFFFDe\u200Bf\u2028g";
        assertThat(InputText.normalize(text)).isSameAs(text);
        String clean = "tcp        0      0 0.0.0.0:23              0.0.0.0:*               LISTEN\n";
        assertThat(InputText.normalize(clean)).isSameAs(clean);
    }

    @Test
    void everyUnicodeSpaceSeparatesFields() {
        for (char c : new char[] {'\u00a0', '\u1680', '\u2000', '\u2007', '\u200a', '\u202f', '\u205f', '\u3000', '\t'}) {
            assertThat(Text.fields("LISTEN" + c + "0")).as("U+%04X", (int) c).containsExactly("LISTEN", "0");
            assertThat(InputText.isSpace(c)).isTrue();
        }
        assertThat(InputText.isSpace('\u200b')).isFalse(); // zero-width space: not a space anyone sees
    }

    @Test
    void aUtf8BomIsSkippedAndAUtf16OneSelectsUtf16() {
        byte[] body = "*filter\n:INPUT DROP [0:0]\nCOMMIT\n".getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[body.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bom, 3, body.length);
        InputText.Decoded d = InputText.decode("x", bom);
        assertThat(d.text()).isEqualTo(new String(body, StandardCharsets.UTF_8));
        assertThat(d.problems()).isEmpty();

        byte[] le = ("\uFEFF" + "*filter\r\nCOMMIT\r\n").getBytes(StandardCharsets.UTF_16LE);
        InputText.Decoded u = InputText.decode("w", le);
        assertThat(u.text()).isEqualTo("*filter\nCOMMIT\n");
        assertThat(u.notes()).singleElement().asString().contains("UTF-16LE");
        assertThat(u.charset()).isEqualTo("UTF-16LE");
    }

    @Test
    void aShiftJisOrEucJpPasteIsDecodedAndTheLinesAreNamed() throws Exception {
        String utf8 = Files.readString(PASTES.resolve("session-debian-ja.raw"), StandardCharsets.UTF_8);
        for (String cs : new String[] {"windows-31j", "EUC-JP"}) {
            byte[] bytes = utf8.getBytes(Charset.forName(cs));
            InputText.Decoded d = InputText.decode("s.log", bytes);
            assertThat(d.text()).as(cs).isEqualTo(InputText.normalize(utf8));
            assertThat(d.problems()).isEmpty();
            // the prompt lines hold the Japanese directory name: lines 1, 2, 24 and 31
            assertThat(d.notes()).singleElement().asString().contains("lines 1-2, 24, 31 read as").contains(cs.equals("EUC-JP") ? "EUC-JP" : "Shift_JIS");
            // the other lines are ASCII: the whole file is in that one encoding
            assertThat(d.charset()).isEqualTo(cs.equals("EUC-JP") ? "EUC-JP" : "Shift_JIS");
        }
    }

    @Test
    void aShiftJisFileNameInAUtf8SerialLogIsDecodedOnItsLineOnly() throws Exception {
        byte[] bytes = Files.readAllBytes(PASTES.resolve("serial-armadillo440.log"));
        InputText.Decoded d = InputText.decode("serial-armadillo440.log", bytes);
        assertThat(d.problems()).isEmpty();
        // its other lines are ASCII: the file is Shift_JIS throughout as far as its bytes say
        assertThat(d.charset()).isEqualTo("Shift_JIS");
        assertThat(d.notes()).containsExactly(
                "serial-armadillo440.log: not UTF-8; line 84 read as Shift_JIS (windows-31j) (a Japanese-locale terminal's encoding)");
        String[] lines = Text.lines(d.text());
        assertThat(lines[83]).isEqualTo("設定メモ.txt");
        assertThat(lines[82]).isEqualTo("[armadillo ~]# ls -N --show-control-chars");
        assertThat(lines).hasSize(Text.lines(new String(bytes, StandardCharsets.ISO_8859_1)).length);
    }

    @Test
    void aLineNoEncodingDecodesIsReportedWithItsLineAndColumn() {
        byte[] bytes = "Proto Recv-Q Send-Q Local Address\ntcp 0 0 0.0.0.0:23 \u0000\u0000 LISTEN\n".getBytes(StandardCharsets.ISO_8859_1);
        bytes[bytes.length - 10] = (byte) 0xFF; // a stray byte from a noisy serial line, in place of the first NUL
        bytes[bytes.length - 9] = (byte) 0x80;
        InputText.Decoded d = InputText.decode("n.txt", bytes);
        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(20);
            assertThat(p.message()).contains("neither UTF-8 nor Shift_JIS nor EUC-JP");
        });
        assertThat(Text.lines(d.text())[1]).contains("\uFFFD").endsWith("LISTEN");
        assertThat(d.charset()).as("no encoding decodes every line").isNull();
    }

    @Test
    void binaryBytesGiveABoundedListOfProblems() {
        java.util.Random r = new java.util.Random(15);
        byte[] junk = new byte[200_000];
        r.nextBytes(junk);
        InputText.Decoded d = InputText.decode("junk.bin", junk);
        assertThat(d.problems()).hasSizeLessThanOrEqualTo(InputText.MAX_PROBLEMS + 1);
        assertThat(d.problems().get(d.problems().size() - 1).message()).contains("more lines hold bytes no encoding decodes");
        assertThat(Text.lines(d.text()).length).isGreaterThan(InputText.MAX_PROBLEMS);
    }
}
