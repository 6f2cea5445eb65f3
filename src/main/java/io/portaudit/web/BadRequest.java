package io.portaudit.web;

/** A request the dashboard refuses with a message: 400 (malformed), 404 (no such thing), 401/403. Never a stack trace. */
final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static BadRequest of(String message) {
        return new BadRequest(400, message);
    }

    static BadRequest notFound(String message) {
        return new BadRequest(404, message);
    }
}
