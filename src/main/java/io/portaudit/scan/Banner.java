package io.portaudit.scan;

/** Raw service bytes as text: Latin-1 keeps every byte as one char, so nothing is lost or invented ({@link io.portaudit.model.Text#banner} escapes them for output). */
public final class Banner {
    private Banner() {}

    public static String latin1(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public static String latin1(byte[] b, int len) {
        return new String(b, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
