package io.portaudit.model;

/**
 * Something a parser could not read or does not understand, with its exact place, like a
 * compiler diagnostic. {@code line} and {@code column} are 1-based; 0 means "not known".
 */
public record ParseProblem(String source, int line, int column, String text, String message, Severity severity) {

    public enum Severity { ERROR, WARNING, INFO }

    public static ParseProblem error(String source, int line, int column, String text, String message) {
        return new ParseProblem(source, line, column, text, message, Severity.ERROR);
    }

    public static ParseProblem warning(String source, int line, int column, String text, String message) {
        return new ParseProblem(source, line, column, text, message, Severity.WARNING);
    }

    /**
     * The severity as the line shows it: {@code error}, {@code warning}, {@code info} in English (tools parse that form,
     * so it never changes), the reader's word in Japanese (never inside a language-neutral text: that stays English).
     */
    private String label() {
        String en = severity.name().toLowerCase(java.util.Locale.ROOT);
        return L10n.ja() && !L10n.neutral() ? L10n.t("problem.label." + en) : en;
    }

    /** {@code file:12:5: error: unknown match "foo"}, then the offending line. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(source == null ? "<input>" : Text.printable(source, 200));
        if (line > 0) sb.append(':').append(line);
        if (column > 0) sb.append(':').append(column);
        sb.append(": ").append(label()).append(": ").append(Text.terminal(message));
        if (text != null && !text.isEmpty()) sb.append("\n    ").append(Text.printable(text, 200));
        return sb.toString();
    }
}
