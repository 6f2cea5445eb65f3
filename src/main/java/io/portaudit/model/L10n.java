package io.portaudit.model;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;

/**
 * The language of what portaudit writes for people: report headings, finding titles, details, reasons, remedies and
 * CLI messages, from the resource bundles {@code io/portaudit/i18n/messages*.properties} (UTF-8). English is the root
 * bundle, Japanese {@code messages_ja}; a key in one and not the other fails {@code L10nTest}.
 *
 * <p>The language is per thread: {@link #with} runs an audit or a report in one (the audit writes its findings' texts
 * in it, so a stored result keeps them). Strings from the device (banners, program names, rule text) are passed as
 * arguments and never translated.
 */
public final class L10n {
    public enum Lang {
        EN(Locale.ROOT), JA(Locale.JAPANESE);

        final Locale locale;

        Lang(Locale locale) {
            this.locale = locale;
        }

        public String tag() {
            return this == JA ? "ja" : "en";
        }

        /** {@code ja} or {@code en} (also {@code ja_JP.UTF-8}, {@code ja-JP}, {@code C}); null when neither. */
        public static Lang parse(String s) {
            if (s == null || s.isBlank()) return null;
            String l = s.strip().toLowerCase(Locale.ROOT);
            if (l.startsWith("ja")) return JA;
            if (l.startsWith("en") || l.equals("c") || l.startsWith("c.") || l.equals("posix")) return EN;
            return null;
        }

        /** The language the environment asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set (POSIX order). */
        public static Lang fromEnvironment(java.util.function.Function<String, String> env) {
            for (String var : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
                String v = env.apply(var);
                if (v != null && !v.isBlank()) {
                    Lang l = parse(v);
                    return l == null ? EN : l;
                }
            }
            return EN;
        }
    }

    private static final ThreadLocal<Lang> CURRENT = ThreadLocal.withInitial(() -> Lang.EN);
    private static final String BASE = "io.portaudit.i18n.messages";
    private static final ResourceBundle.Control NO_FALLBACK = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    /** The bundles by language (ResourceBundle caches them too, behind a costlier look-up). */
    private static final ResourceBundle[] BUNDLES = new ResourceBundle[Lang.values().length];
    private static final java.util.concurrent.ConcurrentHashMap<String, MessageFormat> FORMATS = new java.util.concurrent.ConcurrentHashMap<>();

    private L10n() {}

    public static Lang lang() {
        return CURRENT.get();
    }

    public static boolean ja() {
        return CURRENT.get() == Lang.JA;
    }

    /** Runs {@code work} with this thread's language set to {@code lang}, then restores the one before. */
    public static <T> T with(Lang lang, Callable<T> work) throws Exception {
        Lang before = CURRENT.get();
        CURRENT.set(lang == null ? Lang.EN : lang);
        try {
            return work.call();
        } finally {
            CURRENT.set(before);
        }
    }

    /** Sets this thread's language (the CLI does this once per command). */
    public static void set(Lang lang) {
        CURRENT.set(lang == null ? Lang.EN : lang);
    }

    public static ResourceBundle bundle(Lang lang) {
        ResourceBundle b = BUNDLES[lang.ordinal()];
        if (b == null) BUNDLES[lang.ordinal()] = b = ResourceBundle.getBundle(BASE, lang.locale, L10n.class.getClassLoader(), NO_FALLBACK);
        return b;
    }

    /** Whether {@code key} is a message. */
    public static boolean has(String key) {
        return bundle(lang()).containsKey(key);
    }

    /** The message {@code key} in the current language, its {@code {0}}.. filled with {@code args} (MessageFormat). */
    public static String t(String key, Object... args) {
        return t(lang(), key, args);
    }

    public static String t(Lang lang, String key, Object... args) {
        String pattern;
        try {
            pattern = bundle(lang).getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("no message '" + key + "' for language " + lang.tag(), e);
        }
        // a pattern without placeholders or quotes is its own text (MessageFormat would return it unchanged)
        if (pattern.indexOf('{') < 0 && pattern.indexOf('\'') < 0) return pattern;
        Object[] safe = new Object[args.length];
        for (int i = 0; i < args.length; i++) safe[i] = args[i] instanceof Number n ? String.valueOf(n) : args[i] == null ? "" : args[i].toString();
        // parsed once per message and language (an audit of a 200k-rule ruleset formats hundreds of thousands of texts);
        // MessageFormat is not thread-safe: each use formats with a copy
        MessageFormat parsed = FORMATS.computeIfAbsent(lang.tag() + '\0' + key, k -> new MessageFormat(pattern, lang.locale));
        return ((MessageFormat) parsed.clone()).format(safe);
    }
}
