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
 *
 * <p>An audit writes its texts <em>language-neutral</em> ({@link #neutral}): each message is then kept as its key and
 * arguments, marked with three private-use characters ({@code U+E000} key {@code U+E001} argument ... {@code U+E002},
 * nested when an argument is itself a message), and {@link #render} writes such a text in either language. So a result
 * stored by a Japanese audit is shown in English (and the other way round) from the same keys; see {@code AuditJson}'s
 * {@code texts}.
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
    private static final ThreadLocal<Boolean> NEUTRAL = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** The marks of a language-neutral message: open, between key and arguments, close. */
    public static final char OPEN = '\uE000', SEP = '\uE001', CLOSE = '\uE002';
    private static final String BASE = "io.portaudit.i18n.messages";
    /** Made on first look-up, not when the language is set: ResourceBundle's start-up costs a short run ~15 ms. */
    private static final class NoFallback {
        static final ResourceBundle.Control CONTROL = ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    }

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
        if (b == null) BUNDLES[lang.ordinal()] = b = ResourceBundle.getBundle(BASE, lang.locale, L10n.class.getClassLoader(), NoFallback.CONTROL);
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
        if (NEUTRAL.get()) {
            bundle(Lang.EN).getString(key); // a missing key fails here as it would when rendered
            StringBuilder sb = new StringBuilder().append(OPEN).append(key);
            for (Object a : args) sb.append(SEP).append(a instanceof Number n ? String.valueOf(n) : a == null ? "" : a.toString());
            return sb.append(CLOSE).toString();
        }
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

    /**
     * Runs {@code work} with this thread's messages written language-neutral (see the class comment): what it returns
     * holds marked messages that {@link #render} writes in a language.
     */
    public static <T> T neutral(Callable<T> work) throws Exception {
        Boolean before = NEUTRAL.get();
        NEUTRAL.set(Boolean.TRUE);
        try {
            return work.call();
        } finally {
            NEUTRAL.set(before);
        }
    }

    /** Whether this thread writes its messages language-neutral. */
    public static boolean neutral() {
        return NEUTRAL.get();
    }

    /** Whether {@code s} holds a language-neutral message. */
    public static boolean marked(String s) {
        return s != null && s.indexOf(OPEN) >= 0;
    }

    /**
     * {@code s} with its language-neutral messages written in {@code lang} (a text without any as it is). A damaged
     * mark (a text cut inside a message, or one a device sent) loses its marks, never its text.
     */
    public static String render(String s, Lang lang) {
        if (!marked(s)) return s;
        StringBuilder out = new StringBuilder(s.length());
        int[] at = {0};
        while (at[0] < s.length()) out.append(part(s, at, lang, false));
        return out.toString();
    }

    /** Text up to the end of {@code s} or, {@code inArg}, to the SEP or CLOSE that ends an argument (not consumed). */
    private static String part(String s, int[] at, Lang lang, boolean inArg) {
        StringBuilder sb = new StringBuilder();
        while (at[0] < s.length()) {
            char c = s.charAt(at[0]);
            if (c == OPEN) {
                at[0]++;
                sb.append(message(s, at, lang));
            } else if (c == SEP || c == CLOSE) {
                if (inArg) return sb.toString();
                at[0]++; // a stray mark
            } else {
                sb.append(c);
                at[0]++;
            }
        }
        return sb.toString();
    }

    /** After OPEN: key, arguments, CLOSE; the message in {@code lang}. */
    private static String message(String s, int[] at, Lang lang) {
        int k = at[0];
        while (at[0] < s.length() && s.charAt(at[0]) != SEP && s.charAt(at[0]) != CLOSE && s.charAt(at[0]) != OPEN) at[0]++;
        String key = s.substring(k, at[0]);
        java.util.List<String> args = new java.util.ArrayList<>();
        while (at[0] < s.length() && s.charAt(at[0]) == SEP) {
            at[0]++;
            args.add(part(s, at, lang, true));
        }
        boolean closed = at[0] < s.length() && s.charAt(at[0]) == CLOSE;
        if (closed) at[0]++;
        ResourceBundle b = bundle(lang);
        if (!closed || !b.containsKey(key)) return key + String.join(" ", args); // damaged: the text without its marks
        // the parsed pattern shared with t() (one parse per message and language; a copy formats, MessageFormat is not
        // thread-safe)
        MessageFormat parsed = FORMATS.computeIfAbsent(lang.tag() + '\0' + key, x -> new MessageFormat(b.getString(key), lang.locale));
        return ((MessageFormat) parsed.clone()).format(args.toArray());
    }
}
