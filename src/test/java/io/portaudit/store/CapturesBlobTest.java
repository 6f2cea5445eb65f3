package io.portaudit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A capture's text is hashed and gzipped in slices: the stored bytes are those of the whole text encoded at once. */
class CapturesBlobTest {
    private static void same(String text) {
        byte[] whole = text.getBytes(StandardCharsets.UTF_8);
        Captures.Blob b = Captures.blob(text);
        assertThat(Captures.utf8Length(text)).as("UTF-8 length").isEqualTo(whole.length);
        assertThat(b.hash()).isEqualTo(Store.sha256(whole));
        assertThat(b.gzip()).isEqualTo(Captures.gzip(whole));
        assertThat(Captures.gunzip(b.gzip())).isEqualTo(whole);
    }

    @Test
    void slicedEqualsWhole() {
        same("");
        same("-A INPUT -p tcp --dport 22 -j ACCEPT\n");
        // a pair split by the 32 Ki-char slice boundary, a lone high surrogate there, lone surrogates elsewhere
        String pad = "x".repeat(32 * 1024 - 1);
        same(pad + "\uD83D\uDE00 after");
        same(pad + "\uD83D" + "y".repeat(40_000));
        same("\uDE00 lone low, lone high at the end \uD83D");
        Random rnd = new Random(15);
        StringBuilder sb = new StringBuilder();
        String[] pieces = {"tcp 0 0 0.0.0.0:22 LISTEN\n", "日本語のテキスト", "\uD83D\uDE00", "\uD83D", "\uDC00", "é", "\n"};
        while (sb.length() < 300_000) sb.append(pieces[rnd.nextInt(pieces.length)]);
        same(sb.toString());
        // a large ruleset-like text: many slices
        StringBuilder r = new StringBuilder();
        for (int i = 0; r.length() < 3_000_000; i++) r.append("-A INPUT -p tcp -m tcp --dport ").append(i % 65536).append(" -j ACCEPT\n");
        same(r.toString());
    }
}
