package io.portaudit.fleet;

import java.nio.file.Path;

/**
 * One device of a fleet file, checked: a name, how its facts are collected (exactly one of {@code ssh},
 * {@code bundle} or {@code scanOnly}) and what overrides the file's {@link FleetDefaults}. Paths are already resolved
 * against the fleet file's directory.
 *
 * @param name       how the store knows the device ({@code portaudit show NAME@latest}); unique in the file
 * @param address    the address (or host name) to scan from here; null: the {@code ssh} host, or no scan (bundle only)
 * @param ssh        {@code [user@]host[:port]} to collect over SSH (strict host keys), or null
 * @param key        SSH private key file, or null (the defaults', else ~/.ssh/id_*)
 * @param knownHosts known_hosts file, or null (the defaults', else ~/.ssh/known_hosts)
 * @param bundle     a collect-script bundle, or null
 * @param scanOnly   no collection, only the scan of {@code address}
 * @param scan       false: do not scan (a bundle or SSH audit without the scan from here)
 * @param model      the device's model (grouping for outliers; the baseline's model when {@code baseline} is null)
 * @param profile    a built-in policy profile, or null
 * @param baseline   a golden unit's model name ({@code portaudit baseline set}), or null
 * @param policy     a policy file, or null
 * @param ports      the scan's ports in nmap syntax, or null (the defaults', else the audit's choice)
 * @param line       the line of the fleet file the entry starts on
 */
public record FleetDevice(String name, String address, String ssh, Path key, Path knownHosts, Path bundle, boolean scanOnly,
                          boolean scan, String model, String profile, String baseline, Path policy, String ports, int line) {

    /** The host the scan targets: the address, else the SSH host; null when nothing is scanned. */
    public String scanTarget() {
        if (!scan) return null;
        if (address != null) return address;
        if (ssh != null) return io.portaudit.collect.SshTarget.parse(ssh, "root").host();
        return null;
    }

    /** How the device's facts are collected: ssh, bundle or scan-only. */
    public String method() {
        return ssh != null ? "ssh" : bundle != null ? "bundle" : "scan-only";
    }
}
