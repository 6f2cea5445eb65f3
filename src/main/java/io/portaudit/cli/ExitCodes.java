package io.portaudit.cli;

/** The exit codes of every portaudit command (README, "Exit codes"). */
public final class ExitCodes {
    /** Clean: the work completed and no finding reached the fail threshold. */
    public static final int OK = 0;
    /** Findings at or above the fail threshold ({@code --fail-on}). */
    public static final int FINDINGS = 1;
    /** Usage or input error: bad option, unreadable or unparseable input. */
    public static final int USAGE = 2;
    /** Could not collect or scan everything; partial results were kept and marked partial. */
    public static final int INCOMPLETE = 3;

    private ExitCodes() {}
}
