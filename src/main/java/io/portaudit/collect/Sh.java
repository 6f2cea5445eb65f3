package io.portaudit.collect;

/** POSIX shell quoting: the only way portaudit puts a value into a remote command line. */
public final class Sh {
    private Sh() {}

    /**
     * Quotes {@code s} as one shell word: {@code 'it'\''s'}. Safe for every byte except NUL, which no
     * shell argument can carry (rejected).
     */
    public static String quote(String s) {
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a shell argument cannot contain NUL");
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@code sh -c 'BODY'}: the body runs under the device's {@code sh}, whatever the login shell is. */
    public static String shC(String body) {
        return "sh -c " + quote(body);
    }
}
