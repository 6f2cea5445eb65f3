package io.portaudit.cli;

import io.portaudit.model.L10n;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import picocli.CommandLine;

/**
 * {@code --help} and the man pages in the run's language (issue 20). English is the text of the {@code @Command} and
 * {@code @Option} annotations; Japanese comes from {@code io/portaudit/i18n/help_ja.properties} (command headers and
 * descriptions, option and parameter descriptions, under picocli's resource-bundle keys) plus picocli's usage headings
 * and the root command's texts from the messages bundle ({@link ParameterErrors#usageBundle}). Set on the whole command
 * tree before any usage is rendered: {@link Main}'s execution strategy, once {@code --lang} has been read.
 */
public final class HelpTexts {
    private HelpTexts() {}

    static final String JA = "/io/portaudit/i18n/help_ja.properties";
    private static volatile ResourceBundle ja;

    /** Sets the help texts of {@code root} and every subcommand to the current language (English: the annotations). */
    public static void apply(CommandLine root) {
        if (L10n.ja()) root.setResourceBundle(bundle());
    }

    /** The Japanese help texts: help_ja.properties, and the headings and root texts of the messages bundle. */
    static ResourceBundle bundle() {
        ResourceBundle b = ja;
        if (b == null) {
            ResourceBundle usage;
            try {
                usage = L10n.with(L10n.Lang.JA, ParameterErrors::usageBundle);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            ja = b = merged(helpJa(), usage);
        }
        return b;
    }

    /** help_ja.properties alone (UTF-8). */
    static PropertyResourceBundle helpJa() {
        try (InputStream in = HelpTexts.class.getResourceAsStream(JA)) {
            if (in == null) throw new IllegalStateException(JA + " is missing from the class path");
            return new PropertyResourceBundle(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One bundle holding both: picocli lists a bundle's keys once (getKeys), so a parent chain would not do. */
    private static ResourceBundle merged(ResourceBundle first, ResourceBundle second) {
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>();
        for (String k : Collections.list(second.getKeys())) all.put(k, second.getObject(k));
        for (String k : Collections.list(first.getKeys())) all.put(k, first.getObject(k));
        List<Object[]> entries = new ArrayList<>();
        all.forEach((k, v) -> entries.add(new Object[] {k, v}));
        Object[][] contents = entries.toArray(new Object[0][]);
        return new java.util.ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return contents;
            }
        };
    }
}
