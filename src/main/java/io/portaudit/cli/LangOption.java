package io.portaudit.cli;

import io.portaudit.model.L10n;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --lang ja|en}: the language of reports and messages; without it, LC_ALL / LC_MESSAGES / LANG (Main). Part of
 * {@link CommonOptions}; commands without those options (baseline, serve, completion, collect-script) mix in this alone.
 */
public class LangOption {
    @Option(names = "--lang", paramLabel = "LANG", converter = LangConverter.class,
            description = "Language of reports and messages: ja or en (default: from LC_ALL, LC_MESSAGES or LANG; else en). "
                    + "A stored audit is shown in the reader's language (its texts are stored as message keys too).")
    void lang(L10n.Lang lang) {
        L10n.set(lang);
    }

    static final class LangConverter implements ITypeConverter<L10n.Lang> {
        @Override
        public L10n.Lang convert(String value) {
            L10n.Lang l = "ja".equalsIgnoreCase(value) ? L10n.Lang.JA : "en".equalsIgnoreCase(value) ? L10n.Lang.EN : null;
            if (l == null) throw new TypeConversionException(L10n.t("cmd.lang", value));
            return l;
        }
    }
}
