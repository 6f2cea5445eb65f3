package io.portaudit.cli;

import io.portaudit.audit.InputSniffer;
import io.portaudit.model.BoundedRead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of the {@code [KIND:]FILE} arguments of {@code audit --input}, {@code firewall FILE...} and
 * {@code inventory --from}: {@code KIND:} is split off only when no file has the whole name and KIND is a kind the
 * command knows (else the argument is an error naming both readings); {@code -} is standard input, read once
 * (shown as {@code <stdin>}); every file is read by {@link BoundedRead} (one size and line limit) and decoded by
 * {@link InputSniffer.Labeled#ofBytes} (one charset rule: UTF-8, else Shift_JIS/EUC-JP per line).
 */
final class InputFiles {
    /** What a problem or message calls standard input. */
    static final String STDIN = "<stdin>";

    /** {@code KIND@ADDRESS:FILE} / {@code @ADDRESS:FILE}, ADDRESS an IPv4 address or a bracketed IPv6 one. */
    private static final Pattern NETNS = Pattern.compile("([A-Za-z-]*)@(?:\\[([0-9A-Fa-f:.]+)\\]|(\\d{1,3}(?:\\.\\d{1,3}){3})):(.+)");

    /** One argument, read: the kind it forces (null: sniff it), the namespace address it names (or null), the text (no kind). */
    record Input(String kind, String address, InputSniffer.Labeled text) {
        String source() {
            return text.source();
        }

        /** The text labeled as {@code k} (null: to be sniffed). */
        InputSniffer.Labeled as(String k) {
            return k == null ? text : text.as(k);
        }
    }

    private final String option;
    private final UnaryOperator<String> kindOf;
    private final List<String> kindNames;
    private final boolean addresses;
    private boolean stdinRead;

    /**
     * @param option    the option the arguments came with ({@code --input}), empty for positional files: it starts
     *                  every message about an argument
     * @param kindOf    the canonical kind for a KIND prefix, or null when it is none
     * @param kindNames the kinds, for messages
     * @param addresses whether {@code KIND@ADDRESS:FILE} (a namespace's listing) is accepted
     */
    InputFiles(String option, UnaryOperator<String> kindOf, List<String> kindNames, boolean addresses) {
        this.option = option;
        this.kindOf = kindOf;
        this.kindNames = kindNames;
        this.addresses = addresses;
    }

    /** The reader of {@code audit --input}. */
    static InputFiles auditInput() {
        return new InputFiles("--input", k -> InputSniffer.KINDS.contains(k) ? k : null, InputSniffer.KINDS, true);
    }

    /** {@code audit --input}'s files' texts, each with the kind forced by {@code KIND:FILE} (or null). */
    static List<InputSniffer.Labeled> texts(List<String> args) {
        InputFiles files = auditInput();
        List<InputSniffer.Labeled> texts = new ArrayList<>();
        for (String arg : args) {
            Input in = files.read(arg);
            InputSniffer.Labeled l = in.as(in.kind());
            texts.add(in.address() == null ? l : l.at(in.address()));
        }
        return texts;
    }

    /** Reads one argument; a bad argument or an unreadable file is a {@link UserException} (exit 2). */
    Input read(String arg) {
        String kind = null;
        String file = arg;
        String address = null;
        if (addresses && !exists(arg)) {
            // KIND@ADDRESS:FILE or @ADDRESS:FILE: the listing of the namespace (container) holding ADDRESS
            Matcher at = NETNS.matcher(arg);
            if (at.matches()) {
                address = at.group(2) != null ? at.group(2) : at.group(3);
                file = at.group(1).isEmpty() ? at.group(4) : at.group(1) + ":" + at.group(4);
                if (!at.group(1).isEmpty() && !List.of("netstat", "ss", "proc-net").contains(at.group(1))) {
                    throw new UserException(io.portaudit.model.L10n.t("cmd.input.kindat", where(arg)));
                }
            }
        }
        int colon = file.indexOf(':');
        if (colon > 0 && !exists(file)) {
            String k = kindOf.apply(file.substring(0, colon));
            if (k == null) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.input.nokind", where(file), file.substring(0, colon), String.join(", ", kindNames)));
            }
            kind = k;
            file = file.substring(colon + 1);
        }
        boolean stdin = file.equals("-");
        String source = stdin ? STDIN : file;
        if (stdin && stdinRead) throw new UserException(where(source) + ": " + io.portaudit.model.L10n.t("cmd.input.stdintwice"));
        stdinRead |= stdin;
        byte[] bytes;
        try {
            bytes = BoundedRead.read(file);
        } catch (BoundedRead.TooLarge e) {
            throw new UserException(where(source) + ": " + e.getMessage());
        } catch (IOException | InvalidPathException e) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.cannotread", where(source), e.getMessage()));
        }
        return new Input(kind, address, InputSniffer.Labeled.ofBytes(source, null, bytes));
    }

    private String where(String file) {
        return option.isEmpty() ? file : option + " " + file;
    }

    /** A file of that very name (a name may hold a colon); standard input is no file. */
    private static boolean exists(String name) {
        if (name.equals("-")) return false;
        try {
            return Files.exists(Path.of(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
