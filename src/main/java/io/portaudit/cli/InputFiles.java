package io.portaudit.cli;

import io.portaudit.audit.InputSniffer;
import io.portaudit.model.BoundedRead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code --input [KIND:]FILE} arguments ({@link BoundedRead}: bytes read, line length) and hands them to the sniffer. */
final class InputFiles {
    private InputFiles() {}

    /** {@code KIND@ADDRESS:FILE} / {@code @ADDRESS:FILE}, ADDRESS an IPv4 address or a bracketed IPv6 one. */
    private static final java.util.regex.Pattern NETNS =
            java.util.regex.Pattern.compile("([A-Za-z-]*)@(?:\\[([0-9A-Fa-f:.]+)\\]|(\\d{1,3}(?:\\.\\d{1,3}){3})):(.+)");

    /** The files' texts, each with the kind forced by {@code KIND:FILE} (or null). */
    static List<InputSniffer.Labeled> texts(List<String> args) {
        List<InputSniffer.Labeled> texts = new ArrayList<>();
        for (String arg0 : args) {
            String kind = null;
            String arg = arg0;
            String address = null;
            // KIND@ADDRESS:FILE or @ADDRESS:FILE: the listing of the namespace (container) holding ADDRESS
            java.util.regex.Matcher at = NETNS.matcher(arg0);
            if (!Files.exists(Path.of(arg0)) && at.matches()) {
                address = at.group(2) != null ? at.group(2) : at.group(3);
                arg = at.group(1).isEmpty() ? at.group(4) : at.group(1) + ":" + at.group(4);
                if (!at.group(1).isEmpty() && !List.of("netstat", "ss", "proc-net").contains(at.group(1))) {
                    throw new UserException("--input " + arg0 + ": KIND@ADDRESS:FILE is for a namespace's socket listing; "
                            + "KIND must be netstat, ss or proc-net");
                }
            }
            String file = arg;
            int colon = arg.indexOf(':');
            if (colon > 0 && !Files.exists(Path.of(arg)) && InputSniffer.KINDS.contains(arg.substring(0, colon))) {
                kind = arg.substring(0, colon);
                file = arg.substring(colon + 1);
            } else if (colon > 0 && !Files.exists(Path.of(arg))) {
                throw new UserException("--input " + arg + ": no such file, and '" + arg.substring(0, colon)
                        + "' is not a known kind (" + String.join(", ", InputSniffer.KINDS) + ")");
            }
            Path p = Path.of(file);
            try {
                byte[] bytes = BoundedRead.read(p.toString());
                InputSniffer.Labeled l = InputSniffer.Labeled.ofBytes(file, kind, bytes);
                texts.add(address == null ? l : l.at(address));
            } catch (BoundedRead.TooLarge e) {
                throw new UserException("--input " + file + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UserException("--input " + file + ": cannot read: " + e.getMessage());
            }
        }
        return texts;
    }
}
