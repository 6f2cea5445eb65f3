package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShTest {
    @Test
    void quotesWithSingleQuotes() {
        assertThat(Sh.quote("abc")).isEqualTo("'abc'");
        assertThat(Sh.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Sh.quote("")).isEqualTo("''");
        assertThatThrownBy(() -> Sh.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aQuotedWordReachesTheCommandUnchanged() throws Exception {
        for (String s : List.of("plain", "it's", "$(touch /tmp/pwned) `id` $HOME", "a\nb\tc", "'''", "\\'\\", "*", "; rm -rf /", "日本語")) {
            Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + Sh.quote(s)).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(s);
        }
    }

    @Test
    void shCRunsTheBodyAsOneArgument() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", Sh.shC("printf '%s|' \"$0\" one 'two three'")).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("sh|one|two three|");
    }
}
