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

    /** The files' texts, each with the kind forced by {@code KIND:FILE} (or null). */
    static List<InputSniffer.Labeled> texts(List<String> args) {
        List<InputSniffer.Labeled> texts = new ArrayList<>();
        for (String arg : args) {
            String kind = null;
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
                texts.add(InputSniffer.Labeled.ofBytes(file, kind, bytes));
            } catch (BoundedRead.TooLarge e) {
                throw new UserException("--input " + file + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UserException("--input " + file + ": cannot read: " + e.getMessage());
            }
        }
        return texts;
    }
}
