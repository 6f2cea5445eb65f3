package io.portaudit.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader for fleet files made in a spreadsheet: comma-separated cells, double quotes around cells
 * holding commas, quotes ({@code ""}) or line breaks, CRLF or LF line ends. Each row remembers the line it starts on.
 */
final class Csv {
    private Csv() {}

    record Row(int line, List<String> cells) {}

    static final class CsvException extends Exception {
        final int line;

        CsvException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    static List<Row> parse(String text) throws CsvException {
        List<Row> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int line = 1, rowLine = 1, i = 0, n = text.length();
        boolean quoted = false, wasQuoted = false, any = false;
        while (i < n) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    i++;
                    continue;
                }
                if (c == '\n') line++;
                cell.append(c);
                i++;
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (cell.toString().isBlank() && !wasQuoted) {
                        cell.setLength(0);
                        quoted = true;
                        wasQuoted = true;
                    } else {
                        throw new CsvException(line, io.portaudit.model.L10n.t("fleet.csv.quote"));
                    }
                    any = true;
                }
                case ',' -> {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                    any = true;
                }
                case '\r', '\n' -> {
                    if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
                    if (any || cell.length() > 0) {
                        cells.add(cell.toString());
                        rows.add(new Row(rowLine, List.copyOf(cells)));
                    }
                    cells.clear();
                    cell.setLength(0);
                    wasQuoted = false;
                    any = false;
                    line++;
                    rowLine = line;
                }
                default -> {
                    if (wasQuoted && !Character.isWhitespace(c)) {
                        throw new CsvException(line, io.portaudit.model.L10n.t("fleet.csv.after"));
                    }
                    if (!wasQuoted) cell.append(c);
                    any = true;
                }
            }
            i++;
        }
        if (quoted) throw new CsvException(rowLine, io.portaudit.model.L10n.t("fleet.csv.open"));
        if (any || cell.length() > 0) {
            cells.add(cell.toString());
            rows.add(new Row(rowLine, List.copyOf(cells)));
        }
        return rows;
    }
}
