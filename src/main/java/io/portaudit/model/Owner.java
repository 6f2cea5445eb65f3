package io.portaudit.model;

/**
 * A process that holds a socket. Fields that could not be read are {@code null};
 * {@code note} says why (e.g. "permission denied", "process exited").
 */
public record Owner(Integer pid, String comm, String cmdline, String user, String unit, String container, String note) {
    public static Owner named(Integer pid, String comm) {
        return new Owner(pid, comm, null, null, null, null, null);
    }
}
