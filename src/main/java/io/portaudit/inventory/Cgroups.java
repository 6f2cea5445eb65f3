package io.portaudit.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a process's cgroup path says about it: the systemd unit or OpenRC service, and the
 * container (docker, podman, lxc, containerd/kubernetes) it runs in. Reads one line of
 * {@code /proc/PID/cgroup} ({@code 0::/system.slice/ssh.service}, {@code 1:name=openrc:/sshd}).
 */
public final class Cgroups {
    /** @param unit e.g. {@code ssh.service}, {@code openrc:sshd}; @param container e.g. {@code docker:0123456789ab} */
    public record Info(String unit, String container) {
        static final Info NONE = new Info(null, null);
    }

    private static final Pattern DOCKER = Pattern.compile("(?:docker-|/docker/)([0-9a-f]{12,64})");
    private static final Pattern PODMAN = Pattern.compile("libpod-(?:conmon-)?([0-9a-f]{12,64})");
    private static final Pattern CONTAINERD = Pattern.compile("cri-containerd-([0-9a-f]{12,64})|crio-([0-9a-f]{12,64})");
    private static final Pattern LXC = Pattern.compile("/lxc(?:\\.payload)?[./]([^/]+)");
    private static final Pattern MACHINE = Pattern.compile("machine-([^/]+)\\.scope");
    private static final Pattern UNIT = Pattern.compile("([^/]+\\.(?:service|scope))$");
    private static final Pattern UNIT_ANY = Pattern.compile("/([^/]+\\.service)(?:/|$)");

    private Cgroups() {}

    public static Info parse(String line) {
        if (line == null || line.isBlank() || line.equals("-")) return Info.NONE;
        String hierarchy = "";
        String path = line;
        int c1 = line.indexOf(':');
        int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
        if (c2 > 0) {
            hierarchy = line.substring(c1 + 1, c2);
            path = line.substring(c2 + 1);
        }
        if (hierarchy.equals("name=openrc")) {
            String svc = path.startsWith("/") ? path.substring(1) : path;
            return new Info(svc.isEmpty() ? null : "openrc:" + svc, null);
        }
        String container = null;
        Matcher m;
        if ((m = PODMAN.matcher(path)).find()) container = "podman:" + m.group(1).substring(0, 12);
        else if ((m = DOCKER.matcher(path)).find()) container = "docker:" + m.group(1).substring(0, 12);
        else if ((m = CONTAINERD.matcher(path)).find()) {
            String id = m.group(1) != null ? m.group(1) : m.group(2);
            container = "containerd:" + id.substring(0, 12);
        } else if ((m = LXC.matcher(path)).find()) container = "lxc:" + m.group(1);
        else if ((m = MACHINE.matcher(path)).find()) container = "machine:" + m.group(1).replace("\\x2d", "-");
        String unit = null;
        int openrc = path.indexOf("/openrc.");
        if (openrc >= 0) {
            String rest = path.substring(openrc + 8);
            int slash = rest.indexOf('/');
            unit = "openrc:" + (slash < 0 ? rest : rest.substring(0, slash));
        } else if (container == null) {
            // inside a container the unit belongs to the container's init: the host unit is the scope above
            Matcher u = UNIT_ANY.matcher(path);
            String svc = null;
            while (u.find()) svc = u.group(1);
            if (svc != null) unit = svc;
            else if ((m = UNIT.matcher(path)).find()) unit = m.group(1);
        }
        return new Info(unit, container);
    }
}
