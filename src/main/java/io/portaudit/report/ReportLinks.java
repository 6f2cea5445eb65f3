package io.portaudit.report;

import io.portaudit.model.Protocol;

/**
 * Where the shared report templates (src/main/jte/report) link to: the dashboard gives each port its page; a
 * standalone report file links nowhere ({@link #NONE}). A method returns a URL built by the caller (never from
 * device text alone) or null for no link.
 */
public interface ReportLinks {
    ReportLinks NONE = (protocol, port) -> null;

    /** The page of (protocol, port), or null. */
    String port(Protocol protocol, int port);
}
