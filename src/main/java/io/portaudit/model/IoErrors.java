package io.portaudit.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Why a file could not be read or written, in words ({@code no such file}, {@code permission denied},
 * {@code is a directory}), never an exception's class name: every message about a file the user named
 * is one sentence, "FILE: cannot read: no such file".
 */
public final class IoErrors {
    private IoErrors() {}

    /** The reason alone, e.g. {@code no such file}, {@code no such directory /x}, {@code permission denied}. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException n) {
            String f = n.getFile();
            if (f != null) {
                Path parent = Path.of(f).toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) return L10n.t("cmd.io.nodir", parent);
            }
            return L10n.t("cmd.nosuchfile");
        }
        if (e instanceof AccessDeniedException) return L10n.t("cmd.io.denied");
        if (e instanceof NotDirectoryException) return L10n.t("cmd.io.notdir");
        if (e instanceof CharacterCodingException) return L10n.t("cmd.io.notutf8");
        if (e instanceof FileSystemException fs && fs.getReason() != null) return L10n.ja() && "Is a directory".equals(fs.getReason()) ? L10n.t("cmd.io.isdir") : lower(fs.getReason());
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return lower(m);
    }

    /** The reason of an {@link UncheckedIOException}'s cause. */
    public static String reason(UncheckedIOException e) {
        return reason(e.getCause());
    }

    /** The file an exception names, or null. */
    public static String file(IOException e) {
        return e instanceof FileSystemException fs ? fs.getFile() : null;
    }

    /** "Is a directory" -> "is a directory" (the kernel's strerror texts start with a capital). */
    private static String lower(String s) {
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1) : s;
    }
}
