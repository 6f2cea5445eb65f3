package io.portaudit.cli;

/** An error to report in one clear line, with the exit code it deserves (no stack trace). */
public class UserException extends RuntimeException {
    private final int exitCode;

    public UserException(String message) {
        this(message, ExitCodes.USAGE);
    }

    public UserException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
