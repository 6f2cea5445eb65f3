package io.portaudit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.MessageFormat;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 20 item 3: the English and Japanese bundles hold the same keys, with the same arguments, and every pattern parses. */
class L10nTest {
    private static final Pattern ARG = Pattern.compile("\\{(\\d+)}");

    @Test
    void everyKeyIsInBothLanguagesWithTheSameArguments() {
        ResourceBundle en = L10n.bundle(L10n.Lang.EN);
        ResourceBundle ja = L10n.bundle(L10n.Lang.JA);
        // handleKeySet: the bundle's own keys, not those inherited from the root (English) bundle
        Set<String> enKeys = new TreeSet<>(en.keySet());
        Set<String> jaKeys = new TreeSet<>(ownKeys(ja));
        assertThat(jaKeys).as("keys only in English").containsAll(enKeys);
        assertThat(enKeys).as("keys only in Japanese").containsAll(jaKeys);
        for (String key : enKeys) {
            assertThat(args(ja.getString(key))).as(key).isEqualTo(args(en.getString(key)));
            new MessageFormat(en.getString(key)); // parses
            new MessageFormat(ja.getString(key));
            if (!Set.of("col.proto", "col.port", "col.family").contains(key) && en.getString(key).matches(".*[a-z]{3,}.*")) {
                // a Japanese text, not the English one copied over
                assertThat(ja.getString(key)).as(key).isNotEqualTo(en.getString(key));
            }
        }
    }

    @Test
    void theDefaultLanguageComesFromTheEnvironmentInPosixOrder() {
        assertThat(L10n.Lang.fromEnvironment(Map.of("LANG", "ja_JP.UTF-8")::get)).isEqualTo(L10n.Lang.JA);
        assertThat(L10n.Lang.fromEnvironment(Map.of("LANG", "ja_JP.UTF-8", "LC_MESSAGES", "C")::get)).isEqualTo(L10n.Lang.EN);
        assertThat(L10n.Lang.fromEnvironment(Map.of("LANG", "en_US.UTF-8", "LC_ALL", "ja_JP.eucJP")::get)).isEqualTo(L10n.Lang.JA);
        assertThat(L10n.Lang.fromEnvironment(Map.<String, String>of()::get)).isEqualTo(L10n.Lang.EN);
        assertThat(L10n.Lang.fromEnvironment(Map.of("LANG", "de_DE.UTF-8")::get)).isEqualTo(L10n.Lang.EN);
    }

    @Test
    void deviceStringsPassThroughUntranslatedAndUnparsed() throws Exception {
        String rule = "ACCEPT tcp -- anywhere anywhere tcp dpt:ftp '{0}' it's";
        String ja = L10n.with(L10n.Lang.JA, () -> L10n.t("corr.ev.rule", "accept", "INPUT rule 5", rule));
        assertThat(ja).isEqualTo("INPUT rule 5 で accept: " + rule);
        String en = L10n.t("corr.ev.rule", "accept", "INPUT rule 5", rule);
        assertThat(en).isEqualTo("accept by INPUT rule 5: " + rule);
        assertThat(L10n.lang()).isEqualTo(L10n.Lang.EN);
    }

    /**
     * No key is defined twice in a file: the later one would silently win (two helpers' blocks once both defined
     * {@code fix.none}, and the report's "no fix offered" became the fix script's "(none)").
     */
    @Test
    void noKeyIsDefinedTwiceInAFile() throws Exception {
        for (String file : new String[] {"messages.properties", "messages_ja.properties"}) {
            Set<String> seen = new TreeSet<>(), twice = new TreeSet<>();
            try (var in = L10nTest.class.getResourceAsStream("/io/portaudit/i18n/" + file)) {
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                boolean continued = false;
                for (String line : text.split("\n")) {
                    boolean key = !continued && !line.isBlank() && !line.startsWith("#") && !line.startsWith("!") && line.indexOf('=') > 0;
                    if (key && !seen.add(line.substring(0, line.indexOf('=')).strip())) twice.add(line.substring(0, line.indexOf('=')).strip());
                    continued = line.endsWith("\\") && !line.endsWith("\\\\");
                }
            }
            assertThat(twice).as(file).isEmpty();
        }
    }

    /** The keys of the Japanese file itself (a ResourceBundle would also show those inherited from the English root). */
    private static Set<String> ownKeys(ResourceBundle ignored) {
        java.util.Properties p = new java.util.Properties();
        try (var in = L10nTest.class.getResourceAsStream("/io/portaudit/i18n/messages_ja.properties")) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new TreeSet<>(p.stringPropertyNames());
    }

    private static Set<String> args(String pattern) {
        Set<String> out = new TreeSet<>();
        Matcher m = ARG.matcher(pattern);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
