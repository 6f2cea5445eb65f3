package io.portaudit.model;

/**
 * How many terminal columns a string takes: East Asian Wide and Fullwidth characters (kanji, kana, hangul, fullwidth
 * forms; Unicode UAX #11) take two, combining marks and zero-width characters none, the rest one. A text table pads
 * its header and its rows by this, so that a Japanese header ({@code ポート}) lines up with the data below it.
 */
public final class DisplayWidth {
    private DisplayWidth() {}

    public static int of(String s) {
        if (s == null) return 0;
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            w += of(cp);
        }
        return w;
    }

    public static int of(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT || cp == 0x200B) return 0;
        return wide(cp) ? 2 : 1;
    }

    /** East Asian Width W or F (UAX #11), by its blocks. */
    static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) // Hangul Jamo initial consonants
                || (cp >= 0x2E80 && cp <= 0x303E) // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
                || (cp >= 0x3041 && cp <= 0x33FF) // hiragana, katakana, bopomofo, Hangul compatibility jamo, kanbun, CJK compatibility
                || (cp >= 0x3400 && cp <= 0x4DBF) // CJK extension A
                || (cp >= 0x4E00 && cp <= 0x9FFF) // CJK unified ideographs
                || (cp >= 0xA000 && cp <= 0xA4CF) // Yi
                || (cp >= 0xAC00 && cp <= 0xD7A3) // Hangul syllables
                || (cp >= 0xF900 && cp <= 0xFAFF) // CJK compatibility ideographs
                || (cp >= 0xFE10 && cp <= 0xFE19) // vertical forms
                || (cp >= 0xFE30 && cp <= 0xFE6F) // CJK compatibility forms, small form variants
                || (cp >= 0xFF00 && cp <= 0xFF60) // fullwidth forms
                || (cp >= 0xFFE0 && cp <= 0xFFE6) // fullwidth signs
                || (cp >= 0x1F300 && cp <= 0x1F64F) // pictographs, emoticons
                || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || (cp >= 0x20000 && cp <= 0x3FFFD); // CJK extensions B..
    }

    /** {@code s} followed by blanks up to {@code width} columns (as it is when it is already as wide or wider). */
    public static String pad(String s, int width) {
        int w = of(s);
        return w >= width ? s : s + " ".repeat(width - w);
    }
}
