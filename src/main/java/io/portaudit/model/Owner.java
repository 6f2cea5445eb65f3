package io.portaudit.model;

import java.time.Instant;

/**
 * A process that holds a socket. Fields that could not be read are {@code null};
 * {@code note} says why (e.g. "permission denied", "process exited").
 *
 * @param unit      the systemd unit or OpenRC service the process runs in, from its cgroup
 * @param container {@code docker:ID}, {@code podman:ID}, {@code lxc:NAME} ... from its cgroup; null when none seen
 * @param exe       the {@code /proc/PID/exe} link target; null when unknown (e.g. from pasted text)
 * @param uid       the effective user id; null when unknown
 * @param started   when the process started; null when unknown
 */
public record Owner(Integer pid, String comm, String cmdline, String user, String unit, String container, String note,
                    String exe, Integer uid, Instant started) {
    /** The form before exe/uid/started existed. */
    public Owner(Integer pid, String comm, String cmdline, String user, String unit, String container, String note) {
        this(pid, comm, cmdline, user, unit, container, note, null, null, null);
    }

    public static Owner named(Integer pid, String comm) {
        return new Owner(pid, comm, null, null, null, null, null);
    }
}
