package io.portaudit.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The one reader of every file a user names as input ({@code --input}, {@code firewall FILE|-},
 * {@code inventory --from}, {@code scan -iL}, {@code --policy}, {@code --services}): the limits count
 * the bytes actually read, so a device ({@code /dev/zero}, {@code /dev/urandom}), a FIFO or standard
 * input is stopped as soon as it passes them, whatever size the file system claims (0 for all of
 * those). A line longer than {@link #MAX_LINE_BYTES} is refused as well — no capture has such lines —
 * except in input that starts with {@code {}, {@code [} or {@code <} (JSON such as {@code nft -j}, and
 * XML, which real tools may write on one line); those are bounded by the byte limit only.
 */
public final class BoundedRead {
    /** The limit for one input file. */
    public static final long MAX_BYTES = 64L << 20;
    /** The limit for one line of a line-oriented input. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private BoundedRead() {}

    /** A limit was passed; the message names the limit (and the caller adds the file). */
    public static final class TooLarge extends IOException {
        public TooLarge(String message) {
            super(message);
        }
    }

    /** Reads {@code file} ({@code -} = standard input) within {@link #MAX_BYTES} and {@link #MAX_LINE_BYTES}. */
    public static byte[] read(String file) throws IOException {
        return read(file, MAX_BYTES, MAX_LINE_BYTES);
    }

    public static byte[] read(String file, long maxBytes, int maxLineBytes) throws IOException {
        if (file.equals("-")) return read(System.in, maxBytes, maxLineBytes);
        Path p = Path.of(file);
        try {
            // a regular file that is plainly too large is refused before reading it
            if (Files.isRegularFile(p) && Files.size(p) > maxBytes) throw tooLarge(maxBytes);
            try (InputStream in = Files.newInputStream(p)) {
                return read(in, maxBytes, maxLineBytes);
            }
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            // the reason in words ("no such file", "is a directory"): callers add the file's name
            throw new IOException(IoErrors.reason(e), e);
        }
    }

    /** Reads {@code in} to its end, or fails as soon as a limit is passed (the stream is not closed). */
    public static byte[] read(InputStream in, long maxBytes, int maxLineBytes) throws IOException {
        byte[] buf = new byte[8192];
        int len = 0;
        long line = 1;
        int lineLen = 0;
        int first = -1;   // the first byte that is not white space or a BOM byte: '{', '[', '<' lift the line limit
        while (true) {
            if (len == buf.length) {
                if (len >= maxBytes + 1) throw tooLarge(maxBytes);
                buf = Arrays.copyOf(buf, (int) Math.min(Math.max(buf.length * 2L, 8192), Math.min(maxBytes + 1, Integer.MAX_VALUE - 16)));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) break;
            boolean lineLimit = first != '{' && first != '[' && first != '<';
            for (int i = len; i < len + n; i++) {
                byte b = buf[i];
                if (first < 0 && b != ' ' && b != '\t' && b != '\n' && b != '\r' && (b & 0xff) != 0xef && (b & 0xff) != 0xbb
                        && (b & 0xff) != 0xbf) {
                    first = b & 0xff;
                    lineLimit = first != '{' && first != '[' && first != '<';
                }
                if (b == '\n') {
                    line++;
                    lineLen = 0;
                } else if (++lineLen > maxLineBytes && lineLimit) {
                    throw new TooLarge("line " + line + " is longer than " + size(maxLineBytes) + " (the limit for one line)");
                }
            }
            len += n;
            if (len > maxBytes) throw tooLarge(maxBytes);
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    private static TooLarge tooLarge(long maxBytes) {
        return new TooLarge("more than " + size(maxBytes) + " (the limit for one input)");
    }

    /** 64 MiB, 1 MiB, 512 KiB, 100 bytes. */
    public static String size(long bytes) {
        if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes >= 1024 && bytes % 1024 == 0) return (bytes >> 10) + " KiB";
        return bytes + " bytes";
    }
}
