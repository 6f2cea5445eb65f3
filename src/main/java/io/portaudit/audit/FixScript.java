package io.portaudit.audit;

import io.portaudit.firewall.Chain;
import io.portaudit.firewall.Match;
import io.portaudit.firewall.Rule;
import io.portaudit.firewall.Ruleset;
import io.portaudit.firewall.Table;
import io.portaudit.firewall.Target;
import io.portaudit.model.AddressFamily;
import io.portaudit.model.Exposure;
import io.portaudit.model.Finding;
import io.portaudit.model.L10n;
import io.portaudit.model.Listener;
import io.portaudit.model.PortRange;
import io.portaudit.model.PortSet;
import io.portaudit.model.Protocol;
import io.portaudit.model.ShellWord;
import io.portaudit.model.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A busybox-sh script that closes, in the board's own firewall backend, every port whose finding
 * fails the gate. portaudit never runs it.
 *
 * <p>How it closes: on an iptables board (legacy or nf_tables backend, as the collected ruleset says)
 * it edits a copy of the live filter table: a chain of its own, {@code portaudit-fix}, jumped to first
 * from INPUT, lets loopback and established/related traffic through and drops new packets to the
 * failing ports; the ACCEPT rules that only accepted failing ports are deleted by their exact
 * specification. The whole new table is tested with {@code iptables-restore --test} and loaded in one
 * {@code iptables-restore}. On an nftables board it (re)creates a table of its own, {@code inet
 * portaudit_fix}, checked with {@code nft -c} and loaded in one transaction: a drop in any base chain
 * is final, so no rule of the board's tables has to move. Every family is built and checked before
 * anything is applied; a failed check applies nothing. Both forms are idempotent: a second run finds
 * the same table and changes nothing. Chain policies are never changed: where the gate fails on an
 * accept-all policy, the script's own chain ends in a drop after accepting loopback, established
 * traffic, ICMP/ICMPv6 (neighbour discovery) and the real listeners the gate does not fail.
 *
 * <p>Service stops are written as comments, and only where the service is known (a systemd unit or
 * OpenRC service from the process's cgroup); a program name is never taken for a service name.
 */
public final class FixScript {
    /** The iptables chain the script owns. */
    static final String CHAIN = "portaudit-fix";
    /** The nftables table the script owns (family inet). */
    static final String NFT_TABLE = "portaudit_fix";
    private static final String EOF_MARK = "PORTAUDIT_FIX_EOF";

    private FixScript() {}

    private enum Kind { IPTABLES, NFT }

    /** @param variant {@code nf_tables}, {@code legacy}, or {@code any} when the input did not say */
    private record Backend(Kind kind, String variant) {}

    /** What the script does for one address family. */
    private static final class Plan {
        final AddressFamily family;
        Backend backend;
        final Map<Protocol, PortSet> close = new EnumMap<>(Protocol.class);
        /** Non-null when the gate fails on an accept-all policy: the ports that stay reachable, everything else is dropped. */
        Map<Protocol, PortSet> keepOnly;
        final Set<String> deletions = new LinkedHashSet<>();

        Plan(AddressFamily family) {
            this.family = family;
            for (Protocol p : Protocol.values()) close.put(p, PortSet.empty());
        }

        boolean empty() {
            return keepOnly == null && close.values().stream().allMatch(PortSet::isEmpty);
        }
    }

    public static String render(AuditResult r) {
        Map<AddressFamily, Plan> plans = new EnumMap<>(AddressFamily.class);
        for (AddressFamily f : AddressFamily.values()) plans.put(f, new Plan(f));
        List<Note> comments = new ArrayList<>();
        List<String> notClosed = new ArrayList<>();
        boolean listenerView = r.viewsPresent().contains("listeners");

        for (Gate.Gated g : r.outcome().atoms()) { // each reason of a merged finding on its own: its id says what to close
            if (g.status() != Gate.Status.FAILS) continue;
            Finding f = g.finding();
            String head = "[" + f.severity().label() + "] " + f.id() + ": " + ShellWord.comment(f.title());
            List<AddressFamily> fams = f.family() == null ? List.of(AddressFamily.values()) : List.of(f.family());
            switch (f.id()) {
                case "exposed-service", "insecure-protocol", "policy-violation" -> {
                    if (f.protocol() == null || f.ports() == null) {
                        notClosed.add(head + " " + L10n.t("fix.noport"));
                        continue;
                    }
                    for (AddressFamily fam : fams) add(plans.get(fam), f.protocol(), PortSet.of(f.ports()));
                    comments.add(new Note(fams, L10n.t("fix.closes", f.protocol().label() + "/" + f.ports(), famText(fams), head)));
                    for (String stop : serviceStops(r, f, fams)) comments.add(new Note(List.of(), "  " + L10n.t("fix.andstop", stop)));
                }
                case "ipv6-unfiltered" -> {
                    if (f.protocol() == null || f.ports() == null) {
                        notClosed.add(head + " " + L10n.t("fix.noport.v6"));
                        continue;
                    }
                    PortSet ports = PortSet.of(f.ports());
                    if (ports.size() > 1 && r.firewall() != null) ports = ports.intersect(blocked(r.firewall(), AddressFamily.IPV4, f.protocol()));
                    add(plans.get(AddressFamily.IPV6), f.protocol(), ports);
                    comments.add(new Note(List.of(AddressFamily.IPV6), L10n.t("fix.closes.v6", f.protocol().label() + "/" + ports, head)));
                }
                case "open-without-listener", "wide-accept-range" -> {
                    if (f.protocol() == null || f.ports() == null) {
                        notClosed.add(head + " " + L10n.t("fix.noport"));
                        continue;
                    }
                    for (AddressFamily fam : fams) {
                        PortSet idle = PortSet.of(f.ports()).minus(listened(r.listeners(), fam, f.protocol()));
                        if (r.firewall() != null) idle = idle.intersect(accepted(r.firewall(), fam, f.protocol()));
                        add(plans.get(fam), f.protocol(), idle);
                        comments.add(new Note(List.of(fam), L10n.t("fix.closes.idle", f.protocol().label() + "/" + idle, famText(List.of(fam)), head)));
                    }
                }
                case "accept-all-policy" -> {
                    if (!listenerView) {
                        notClosed.add(head + " " + L10n.t("fix.nolisteners"));
                        continue;
                    }
                    for (AddressFamily fam : fams) {
                        Plan p = plans.get(fam);
                        p.keepOnly = new EnumMap<>(Protocol.class);
                        for (Protocol proto : Protocol.values()) p.keepOnly.put(proto, listened(r.listeners(), fam, proto));
                        comments.add(new Note(List.of(fam), L10n.t("fix.dropsall", famText(List.of(fam)),
                                fam == AddressFamily.IPV6 ? "ICMPv6" : "ICMP", keepText(p.keepOnly), head)));
                    }
                }
                default -> notClosed.add(head + " " + L10n.t("fix.notaport"));
            }
        }
        // a port the gate fails is never kept open by an accept-all plan
        for (Plan p : plans.values()) {
            if (p.keepOnly != null) p.keepOnly.replaceAll((proto, keep) -> keep.minus(p.close.get(proto)));
        }

        List<Plan> active = new ArrayList<>();
        for (Plan p : plans.values()) {
            if (p.empty()) continue;
            p.backend = r.firewall() == null ? null : backend(r.firewall().rulesets(), p.family);
            if (p.backend == null) {
                notClosed.add(L10n.t("fix.nobackend", famText(List.of(p.family)), closeText(p, L10n.lang())));
                continue;
            }
            if (p.backend.kind() == Kind.IPTABLES) p.deletions.addAll(deletions(r.firewall().rulesets(), p));
            active.add(p);
        }
        return script(r, active, comments, notClosed);
    }

    // ---------------------------------------------------------------- planning

    private static void add(Plan p, Protocol proto, PortSet ports) {
        p.close.put(proto, p.close.get(proto).union(ports));
    }

    /** The families in words of the report's language (comments); {@link #famLabel} for what the script echoes. */
    private static String famText(List<AddressFamily> fams) {
        return fams.size() > 1 ? L10n.t("fix.fam.both") : fams.get(0) == AddressFamily.IPV6 ? "IPv6" : "IPv4";
    }

    private static String famLabel(List<AddressFamily> fams) {
        return fams.size() > 1 ? "IPv4 and IPv6" : fams.get(0) == AddressFamily.IPV6 ? "IPv6" : "IPv4";
    }

    /** Ports of listeners a remote host could reach in this family (a dual-stack {@code ::} counts for IPv4 too). */
    static PortSet listened(List<Listener> ls, AddressFamily fam, Protocol proto) {
        List<PortRange> out = new ArrayList<>();
        for (Listener l : ls) {
            if (l.protocol() != proto || l.port() <= 0 || !l.scope().reachableFromNetwork()) continue;
            if (l.family() == fam || (fam == AddressFamily.IPV4 && Boolean.TRUE.equals(l.dualStack()))) out.add(PortRange.of(l.port()));
        }
        return PortSet.of(out);
    }

    private static PortSet verdicts(FirewallFacts fw, AddressFamily fam, Protocol proto, Set<Verdict> which) {
        for (Exposure e : fw.exposures()) {
            if (e.family() != fam || e.protocol() != proto) continue;
            return PortSet.of(e.ranges().stream().filter(x -> which.contains(x.verdict())).map(x -> x.range()).toList());
        }
        return null;
    }

    private static PortSet blocked(FirewallFacts fw, AddressFamily fam, Protocol proto) {
        PortSet s = verdicts(fw, fam, proto, Set.of(Verdict.DROP, Verdict.REJECT));
        return s == null ? PortSet.all() : s;
    }

    /** Ports that may get through (accept or not understood); all when no ruleset covers the family. */
    private static PortSet accepted(FirewallFacts fw, AddressFamily fam, Protocol proto) {
        PortSet s = verdicts(fw, fam, proto, Set.of(Verdict.ACCEPT, Verdict.UNKNOWN));
        return s == null ? PortSet.all() : s;
    }

    /** The backend of the rulesets that cover the family; else of any ruleset read (the board has one firewall tool). */
    private static Backend backend(List<Ruleset> rulesets, AddressFamily fam) {
        for (boolean covering : new boolean[] {true, false}) {
            for (Ruleset rs : rulesets) {
                if (rs.tables().isEmpty() || (covering && !rs.covers(fam))) continue;
                if (rs.format().startsWith("nft") || "nft".equals(rs.backend())) return new Backend(Kind.NFT, "nf_tables");
                String b = rs.backend() == null ? "" : rs.backend().toLowerCase(Locale.ROOT);
                return new Backend(Kind.IPTABLES, b.contains("nft") ? "nf_tables" : b.contains("legacy") ? "legacy" : "any");
            }
        }
        return null;
    }

    /**
     * The filter INPUT rules that accept only ports this plan closes, as {@code iptables-save} prints
     * them: deleted by that exact specification, never by number. A rule with matches portaudit cannot
     * write back exactly (addresses, unknown modules, a hidden interface) is left alone; the script's
     * own chain closes its ports anyway.
     */
    private static List<String> deletions(List<Ruleset> rulesets, Plan p) {
        List<String> out = new ArrayList<>();
        for (Ruleset rs : rulesets) {
            if (rs.format().startsWith("nft")) continue;
            for (Table t : rs.tables()) {
                if (!t.name().equals("filter") || !t.family().covers(p.family) || t.family().label().equals("inet")) continue;
                Chain c = t.chain("INPUT");
                if (c == null) continue;
                for (Rule rule : c.rules()) {
                    String spec = deletionSpec(rule, p);
                    if (spec != null) out.add(spec);
                }
            }
        }
        return out;
    }

    static String deletionSpec(Rule rule, Plan p) {
        if (!(rule.target() instanceof Target.Accept)) return null;
        String proto = null;
        PortSet ports = null;
        StringBuilder iface = new StringBuilder();
        for (Match m : rule.matches()) {
            switch (m) {
                case Match.Proto pr -> {
                    if (pr.negated() || pr.names().size() != 1) return null;
                    proto = pr.names().iterator().next();
                }
                case Match.Ports po -> {
                    if (po.negated() || po.field() != Match.PortField.DPORT || ports != null) return null;
                    ports = po.ports();
                }
                case Match.Iface i -> {
                    if (i.assumed() || !i.in() || !i.name().matches("[A-Za-z0-9_.:@+-]{1,15}")) return null;
                    iface.append(i.negated() ? "! -i " : "-i ").append(i.name()).append(' ');
                }
                default -> {
                    return null;
                }
            }
        }
        if (proto == null || ports == null || ports.isEmpty()) return null;
        Protocol pr;
        try {
            pr = Protocol.parse(proto);
        } catch (RuntimeException e) {
            return null;
        }
        if (pr == null || !p.close.get(pr).containsAll(ports)) return null;
        String dports;
        String module;
        if (ports.rangeCount() == 1) {
            module = "-m " + pr.label() + " --dport ";
            dports = iptRange(ports.ranges().get(0));
        } else {
            if (ports.rangeCount() > 15) return null;
            module = "-m multiport --dports ";
            dports = String.join(",", ports.ranges().stream().map(FixScript::iptRange).toList());
        }
        return "-A INPUT " + iface + "-p " + pr.label() + " " + module + dports + " -j ACCEPT";
    }

    private static String iptRange(PortRange r) {
        return r.from() == r.to() ? String.valueOf(r.from()) : r.from() + ":" + r.to();
    }

    private static String nftRange(PortRange r) {
        return r.from() == r.to() ? String.valueOf(r.from()) : r.from() + "-" + r.to();
    }

    /** Commented service stops for a closed finding's listeners: only services whose name is known. */
    private static List<String> serviceStops(AuditResult r, Finding f, List<AddressFamily> fams) {
        List<Listener> ls = new ArrayList<>();
        for (PortRow row : r.rows()) {
            if (row.protocol() == f.protocol() && fams.contains(row.family()) && f.ports().contains(row.port())) ls.addAll(row.listeners());
        }
        if (ls.isEmpty()) return List.of();
        return Remedies.stopService(ls).stream().filter(s -> s.startsWith("systemctl ") || s.startsWith("rc-update ")).toList();
    }

    private static String closeText(Plan p, L10n.Lang lang) {
        List<String> parts = new ArrayList<>();
        for (var e : p.close.entrySet()) if (!e.getValue().isEmpty()) parts.add(e.getKey().label() + "/" + e.getValue());
        if (p.keepOnly != null) parts.add(L10n.t(lang, "fix.allbut", keepText(p.keepOnly, lang)));
        return String.join(", ", parts);
    }

    private static String keepText(Map<Protocol, PortSet> keep) {
        return keepText(keep, L10n.lang());
    }

    private static String keepText(Map<Protocol, PortSet> keep, L10n.Lang lang) {
        List<String> parts = new ArrayList<>();
        for (var e : keep.entrySet()) if (!e.getValue().isEmpty()) parts.add(e.getKey().label() + "/" + e.getValue());
        return parts.isEmpty() ? L10n.t(lang, "fix.s.none") : String.join(", ", parts);
    }

    // ---------------------------------------------------------------- rendering

    /** A header line about what the script does; {@code families}: the plans it depends on (empty: none). */
    private record Note(List<AddressFamily> families, String text) {}

    private static String script(AuditResult r, List<Plan> plans, List<Note> comments, List<String> notClosed) {
        StringBuilder sb = new StringBuilder();
        sb.append("#!/bin/sh\n");
        // the comments in the report's language (device strings as they are); the commands and what the script echoes on the
        // device stay English: a serial console or busybox shell may not show Japanese
        sb.append("# ").append(L10n.t("fix.h.for", ShellWord.comment(r.snapshot().host()), ShellWord.comment(r.snapshot().source()),
                String.valueOf(r.snapshot().collectedAt()))).append('\n');
        for (String line : L10n.t("fix.h.body", r.outcome().failOn().label()).split("\n")) sb.append("# ").append(line).append('\n');
        sb.append("#\n");
        if (comments.isEmpty() && notClosed.isEmpty()) sb.append("# ").append(L10n.t("fix.h.nothing")).append('\n');
        Set<AddressFamily> applied = new java.util.HashSet<>();
        for (Plan p : plans) applied.add(p.family);
        for (Note c : comments) {
            // never say "closes" for a family the script cannot change (the "header says it closes them")
            String prefix = applied.containsAll(c.families()) ? "" : L10n.t("fix.notclosed.plan") + " ";
            sb.append("# ").append(prefix).append(ShellWord.comment(c.text())).append('\n');
        }
        for (String c : notClosed) sb.append("# ").append(L10n.t("fix.notclosed")).append(' ').append(ShellWord.comment(c)).append('\n');
        sb.append('\n');
        if (plans.isEmpty()) {
            sb.append("echo 'portaudit fix: nothing to apply").append(notClosed.isEmpty() ? "" : "; see the comments for what it cannot close")
                    .append("'\n");
            sb.append(notClosed.isEmpty() ? "exit 0\n" : "exit 1\n");
            return sb.toString();
        }
        sb.append(PRELUDE);
        boolean ipt = plans.stream().anyMatch(p -> p.backend.kind() == Kind.IPTABLES);
        if (ipt) sb.append(commented(IPTABLES_FUNCTIONS));
        sb.append("\n# ---- ").append(L10n.t("fix.step1")).append('\n');
        for (Plan p : plans) {
            if (p.backend.kind() == Kind.IPTABLES) buildIptables(sb, p);
        }
        List<Plan> nftPlans = plans.stream().filter(p -> p.backend.kind() == Kind.NFT).toList();
        if (!nftPlans.isEmpty()) buildNft(sb, nftPlans);
        sb.append("\n# ---- ").append(L10n.t("fix.step2")).append('\n');
        for (Plan p : plans) {
            if (p.backend.kind() == Kind.IPTABLES) {
                String v = tag(p);
                sb.append("if [ \"$").append(v).append("_same\" = 1 ]; then\n");
                sb.append("    echo \"portaudit fix: ").append(famLabel(List.of(p.family))).append(" ($").append(v)
                        .append("): already applied, nothing changed\"\n");
                sb.append("else\n");
                sb.append("    \"$").append(v).append("-restore\" < \"$tmp/").append(v).append(".new\" || pa_fail_applying \"")
                        .append(famLabel(List.of(p.family))).append("\"\n");
                sb.append("    applied=$((applied + 1))\n");
                sb.append("    echo \"portaudit fix: ").append(famLabel(List.of(p.family))).append(" ($").append(v)
                        .append("): closed ").append(closeText(p, L10n.Lang.EN)).append("\"\n");
                sb.append("fi\n");
            }
        }
        if (!nftPlans.isEmpty()) {
            sb.append("nft list table inet ").append(NFT_TABLE).append(" > \"$tmp/nft.before\" 2>/dev/null || : > \"$tmp/nft.before\"\n");
            sb.append("nft -f \"$tmp/nft.new\" || pa_fail_applying nftables\n");
            sb.append("nft list table inet ").append(NFT_TABLE).append(" > \"$tmp/nft.after\" 2>/dev/null || : > \"$tmp/nft.after\"\n");
            sb.append("if cmp -s \"$tmp/nft.before\" \"$tmp/nft.after\"; then\n");
            sb.append("    echo 'portaudit fix: nftables: table inet ").append(NFT_TABLE).append(" already as wanted, nothing changed'\n");
            sb.append("else\n");
            sb.append("    applied=$((applied + 1))\n");
            for (Plan p : nftPlans) {
                sb.append("    echo 'portaudit fix: ").append(famLabel(List.of(p.family))).append(" (nftables, table inet ").append(NFT_TABLE)
                        .append("): closed ").append(closeText(p, L10n.Lang.EN)).append("'\n");
            }
            sb.append("fi\n");
        }
        sb.append("echo \"portaudit fix: done, $applied change(s) applied\"\n");
        if (!notClosed.isEmpty()) {
            sb.append("echo 'portaudit fix: ").append(notClosed.size())
                    .append(" failing finding(s) are not closed by this script: see its comments' >&2\n");
        }
        return sb.toString();
    }

    private static String tag(Plan p) {
        return p.family == AddressFamily.IPV6 ? "ip6tables" : "iptables";
    }

    private static final java.util.regex.Pattern COMMENT_KEY = java.util.regex.Pattern.compile("(?m)^([ \t]*)# \\{\\{([a-z0-9.]+)}}$");

    /** {@code block} with each {@code # {{key}}} line replaced by the message, a comment line per line, in the report's language. */
    static String commented(String block) {
        java.util.regex.Matcher m = COMMENT_KEY.matcher(block);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            StringBuilder lines = new StringBuilder();
            for (String line : L10n.t(m.group(2)).split("\n")) lines.append(lines.isEmpty() ? "" : "\n").append(m.group(1)).append("# ").append(line);
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(lines.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static final String PRELUDE = """
            set -u
            umask 077
            PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin"
            tmp=$(mktemp -d "${TMPDIR:-/tmp}/portaudit-fix.XXXXXX") || { echo 'portaudit fix: cannot make a temporary directory; nothing was applied' >&2; exit 1; }
            trap 'rm -rf "$tmp"' EXIT
            trap 'exit 1' HUP INT TERM
            applied=0
            pa_fail() { echo "portaudit fix: $*; nothing was applied" >&2; exit 1; }
            pa_fail_applying() { echo "portaudit fix: loading the $1 change failed after $applied other change(s) were applied" >&2; exit 1; }
            """;

    private static final String IPTABLES_FUNCTIONS = """
            # {{fix.fn.tool}}
            pa_tool() {
                case $2 in nf_tables) c=$1-nft ;; legacy) c=$1-legacy ;; *) c=$1 ;; esac
                if command -v "$c-save" >/dev/null 2>&1 && command -v "$c-restore" >/dev/null 2>&1; then echo "$c"; return 0; fi
                command -v "$1-save" >/dev/null 2>&1 && command -v "$1-restore" >/dev/null 2>&1 || return 1
                v=$("$1" -V 2>/dev/null) || v=
                case $2:$v in
                    any:*|nf_tables:*nf_tables*|legacy:*legacy*) echo "$1"; return 0 ;;
                    legacy:*nf_tables*|nf_tables:*) return 1 ;;
                    legacy:*) echo "$1"; return 0 ;;   # before 1.8 iptables had only the legacy backend
                esac
                return 1
            }
            # {{fix.fn.edit}}
            pa_edit() {
                awk -v D="$1" -v A="$2" -v C="portaudit-fix" '
                    function emit(  i) {
                        print ":" C " - [0:0]"
                        print "-A INPUT -j " C
                        for (i = 1; i <= na; i++) print add[i]
                        done = 1
                    }
                    BEGIN { while ((getline l < D) > 0) del[l] = 1; while ((getline l < A) > 0) add[++na] = l }
                    /^#/ { next }
                    /^\\*/ { tbl = substr($0, 2); if (tbl == "filter") seen = 1; print; next }
                    tbl == "filter" && !done && $0 !~ /^:/ { emit() }
                    tbl == "filter" && (index($0, ":" C " ") == 1 || index($0, "-A " C " ") == 1 || $0 == "-A INPUT -j " C) { next }
                    tbl == "filter" && ($0 in del) { found[$0] = 1; next }
                    /^:/ { sub(/\\[[0-9]+:[0-9]+\\]$/, "[0:0]") }
                    { print }
                    END {
                        if (!seen) {
                            print "*filter"; print ":INPUT ACCEPT [0:0]"; print ":FORWARD ACCEPT [0:0]"; print ":OUTPUT ACCEPT [0:0]"
                            emit(); print "COMMIT"
                        }
                        for (l in del) if (!(l in found)) print "portaudit fix: already absent (or written differently on the device), left as it is: " l > "/dev/stderr"
                    }'
            }
            # {{fix.fn.canon}}
            pa_canon() {
                awk '/^#/ { next }
                     /^:/ { sub(/\\[[0-9]+:[0-9]+\\]$/, "[0:0]"); print "1 " $0; next }
                     /^-A / { n[$2]++; printf "2 %s %06d %s\\n", $2, n[$2], $0; next }
                     { print "0 " $0 }' | LC_ALL=C sort
            }
            """;

    private static void buildIptables(StringBuilder sb, Plan p) {
        String v = tag(p);
        String fam = famLabel(List.of(p.family));
        sb.append("\n# ").append(fam).append(": iptables, backend ").append(p.backend.variant()).append(" (as collected)\n");
        sb.append(v).append("=$(pa_tool ").append(v).append(' ').append(p.backend.variant()).append(") || pa_fail \"")
                .append(v).append(p.backend.variant().equals("any") ? "" : " (" + p.backend.variant() + " backend, as collected)")
                .append(" with -save/-restore was not found\"\n");
        sb.append("\"$").append(v).append("-save\" -t filter > \"$tmp/").append(v).append(".cur\" 2>/dev/null || : > \"$tmp/").append(v)
                .append(".cur\"\n");
        sb.append("cat > \"$tmp/").append(v).append(".del\" <<'").append(EOF_MARK).append("'\n");
        for (String d : p.deletions) sb.append(d).append('\n');
        sb.append(EOF_MARK).append('\n');
        sb.append("cat > \"$tmp/").append(v).append(".own\" <<'").append(EOF_MARK).append("'\n");
        for (String l : ownRules(p)) sb.append(l).append('\n');
        sb.append(EOF_MARK).append('\n');
        sb.append("pa_edit \"$tmp/").append(v).append(".del\" \"$tmp/").append(v).append(".own\" < \"$tmp/").append(v)
                .append(".cur\" > \"$tmp/").append(v).append(".new\" || pa_fail \"could not edit the ").append(fam).append(" ruleset\"\n");
        sb.append("\"$").append(v).append("-restore\" --test < \"$tmp/").append(v).append(".new\" || pa_fail \"the new ").append(fam)
                .append(" ruleset does not load ($").append(v).append("-restore --test)\"\n");
        sb.append(v).append("_same=0\n");
        sb.append("pa_canon < \"$tmp/").append(v).append(".cur\" > \"$tmp/").append(v).append(".a\"\n");
        sb.append("pa_canon < \"$tmp/").append(v).append(".new\" > \"$tmp/").append(v).append(".b\"\n");
        sb.append("cmp -s \"$tmp/").append(v).append(".a\" \"$tmp/").append(v).append(".b\" && ").append(v).append("_same=1\n");
    }

    /** The rules of chain portaudit-fix, exactly as iptables-save prints them (so that a second run compares equal). */
    private static List<String> ownRules(Plan p) {
        List<String> out = new ArrayList<>();
        out.add("-A " + CHAIN + " -i lo -j RETURN");
        out.add("-A " + CHAIN + " -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN");
        for (Protocol proto : Protocol.values()) {
            for (PortRange pr : p.close.get(proto).ranges()) {
                out.add("-A " + CHAIN + " -p " + proto.label() + " -m " + proto.label() + " --dport " + iptRange(pr) + " -j DROP");
            }
        }
        if (p.keepOnly != null) {
            out.add("-A " + CHAIN + (p.family == AddressFamily.IPV6 ? " -p ipv6-icmp -j RETURN" : " -p icmp -j RETURN"));
            for (Protocol proto : Protocol.values()) {
                for (PortRange pr : p.keepOnly.get(proto).ranges()) {
                    out.add("-A " + CHAIN + " -p " + proto.label() + " -m " + proto.label() + " --dport " + iptRange(pr) + " -j RETURN");
                }
            }
            out.add("-A " + CHAIN + " -j DROP");
        }
        return out;
    }

    private static void buildNft(StringBuilder sb, List<Plan> plans) {
        sb.append("\n# nftables (as collected): a table of the script's own; a drop in any base chain is final\n");
        sb.append("command -v nft >/dev/null 2>&1 || pa_fail 'nft was not found'\n");
        sb.append("cat > \"$tmp/nft.new\" <<'").append(EOF_MARK).append("'\n");
        sb.append("table inet ").append(NFT_TABLE).append('\n');
        sb.append("delete table inet ").append(NFT_TABLE).append('\n');
        sb.append("table inet ").append(NFT_TABLE).append(" {\n");
        sb.append("\tchain input {\n");
        sb.append("\t\ttype filter hook input priority -1; policy accept;\n");
        sb.append("\t\tiifname \"lo\" accept\n");
        sb.append("\t\tct state established,related accept\n");
        for (Plan p : plans) {
            String nfproto = p.family == AddressFamily.IPV6 ? "ipv6" : "ipv4";
            for (Protocol proto : Protocol.values()) {
                PortSet s = p.close.get(proto);
                if (s.isEmpty()) continue;
                sb.append("\t\tmeta nfproto ").append(nfproto).append(' ').append(proto.label()).append(" dport { ")
                        .append(String.join(", ", s.ranges().stream().map(FixScript::nftRange).toList())).append(" } drop\n");
            }
        }
        for (Plan p : plans) {
            if (p.keepOnly == null) continue;
            String nfproto = p.family == AddressFamily.IPV6 ? "ipv6" : "ipv4";
            sb.append("\t\tmeta nfproto ").append(nfproto).append(" meta l4proto ")
                    .append(p.family == AddressFamily.IPV6 ? "ipv6-icmp" : "icmp").append(" accept\n");
            for (Protocol proto : Protocol.values()) {
                PortSet s = p.keepOnly.get(proto);
                if (s.isEmpty()) continue;
                sb.append("\t\tmeta nfproto ").append(nfproto).append(' ').append(proto.label()).append(" dport { ")
                        .append(String.join(", ", s.ranges().stream().map(FixScript::nftRange).toList())).append(" } accept\n");
            }
            sb.append("\t\tmeta nfproto ").append(nfproto).append(" drop\n");
        }
        sb.append("\t}\n}\n");
        sb.append(EOF_MARK).append('\n');
        sb.append("nft -c -f \"$tmp/nft.new\" || pa_fail 'the new nftables table does not load (nft -c)'\n");
    }
}
