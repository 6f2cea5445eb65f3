package io.portaudit.collect;

import io.portaudit.model.DeviceSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one POSIX sh script {@code portaudit collect-script} prints. It runs under busybox {@code sh}
 * and {@code dash}, gathers the same facts as {@link SshCollector} (the same {@link CaptureCommands} snippets)
 * and writes one bundle: {@code tar.gz} when tar and gzip exist, else a plain-text bundle. Its format
 * is read by {@link Bundle}.
 */
public final class CollectScript {
    private CollectScript() {}

    public static String text() {
        StringBuilder s = new StringBuilder(8192);
        s.append("""
                #!/bin/sh
                # portaudit collect script -- bundle format %d
                #
                # Run it on the device (as root, to see every process and the firewall):
                #     sh portaudit-collect.sh [OUTPUT]
                # It only reads: firewall rules, /proc socket tables of every network namespace, the
                # socket -> process table, addresses, uname, os-release. It needs nothing but a POSIX sh
                # and busybox, and writes OUTPUT (default ./portaudit-HOST-TIME.tar.gz, or .txt when tar or
                # gzip is missing; PORTAUDIT_BUNDLE=text forces the text form; each command is ended after
                # PORTAUDIT_TIMEOUT seconds, default 60). Bring the file back and run:
                #     portaudit audit --bundle OUTPUT
                set -u
                PA_FORMAT=%d
                """.formatted(Bundle.FORMAT_VERSION, Bundle.FORMAT_VERSION));
        s.append(CaptureCommands.PRELUDE).append('\n');
        s.append("""
                umask 077
                have() { command -v "$1" >/dev/null 2>&1; }
                host=$(cat /proc/sys/kernel/hostname 2>/dev/null || uname -n 2>/dev/null)
                host=$(printf '%s' "${host:-device}" | tr -c 'A-Za-z0-9._-' '_')
                stamp=$(date +%Y%m%d-%H%M%S 2>/dev/null || echo now)
                work=${TMPDIR:-/tmp}/portaudit.$$
                mkdir "$work" || { echo "portaudit: cannot create $work" >&2; exit 1; }
                trap 'rm -rf "$work"' EXIT
                trap 'exit 130' INT TERM
                d=$work/portaudit-bundle
                mkdir "$d" || exit 1
                m=$d/manifest
                printf 'portaudit-bundle\\t%s\\n' "$PA_FORMAT" >"$m"
                printf 'created\\t%s\\n' "$(date +%s)" >>"$m"
                printf 'host\\t%s\\n' "$host" >>"$m"
                n=0
                rc=0
                limit=${PORTAUDIT_TIMEOUT:-60}
                case "$limit" in ''|*[!0-9]*) limit=60 ;; esac
                # entry KIND NETNS COMMAND FUNCTION [ARG...]: run FUNCTION, keep stdout, stderr, exit status, time.
                # A watchdog ends it after $limit seconds; what it wrote so far is kept, marked in its stderr.
                entry() {
                  n=$((n+1)); id=$(printf '%04d' "$n")
                  k=$1; ns=$2; c=$3; shift 3
                  ts=$(date +%s)
                  ( "$@" ) >"$d/$id.out" 2>"$d/$id.err" </dev/null &
                  job=$!
                  ( i=0
                    while [ "$i" -lt "$limit" ]; do sleep 1; kill -0 "$job" 2>/dev/null || exit 0; i=$((i+1)); done
                    : >"$work/$id.timeout"; kill "$job" 2>/dev/null ) >/dev/null 2>&1 </dev/null &
                  dog=$!
                  wait "$job"
                  rc=$?
                  kill "$dog" 2>/dev/null
                  if [ -f "$work/$id.timeout" ]; then
                    # a killed command's children may still write: keep a copy, leave them the old file outside the bundle
                    for x in out err; do mv "$d/$id.$x" "$work/$id.$x" && cp "$work/$id.$x" "$d/$id.$x"; done
                    echo "portaudit: timed out after $limit s" >>"$d/$id.err"
                  fi
                  printf 'entry\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$id" "$k" "$rc" "$ts" "$ns" "$c" >>"$m"
                }
                echo "portaudit: collecting..." >&2
                """);
        s.append("pa_netns() {\n").append(CaptureCommands.NETNS_LIST_BODY).append("}\n");
        s.append("entry ").append(DeviceSnapshot.KIND_NETNS_LIST).append(" - ").append(Sh.quote(CaptureCommands.NETNS_LIST.command()))
                .append(" pa_netns\n");
        s.append("cp \"$d/$id.out\" \"$work/ns\"\n");
        s.append("IFS='\t' read -r selfns selfpid <\"$work/ns\" || selfns=-\n");
        s.append("[ -n \"$selfns\" ] || selfns=-\n");
        List<CaptureCommand> probes = CaptureCommands.DEVICE;
        Map<String, Integer> indexOfKind = new HashMap<>();
        for (int i = 0; i < probes.size(); i++) {
            CaptureCommand p = probes.get(i);
            s.append("pa_").append(i).append("() {\n").append(p.body().strip()).append("\n}\n");
            String call = "entry " + p.kind() + (p.ownNetns() ? " \"$selfns\" " : " - ") + Sh.quote(p.command()) + " pa_" + i + "; s_" + i + "=$rc";
            if (p.fallbackOf() == null) {
                s.append(call).append('\n');
            } else {
                int primary = indexOfKind.get(p.fallbackOf());
                String test = p.onAnyFailure() ? "[ \"$s_" + primary + "\" -ne 0 ]" : "[ \"$s_" + primary + "\" -eq " + CaptureCommands.NOT_FOUND + " ]";
                s.append("if ").append(test).append("; then ").append(call).append("; fi\n");
            }
            indexOfKind.putIfAbsent(p.kind(), i);
        }
        s.append("while IFS='\t' read -r ns pid; do\n");
        s.append("  case \"$pid\" in self) ;; ''|*[!0-9]*) continue;; esac\n");
        for (String[] t : CaptureCommands.PROC_NET_TABLES) {
            s.append("  entry ").append(t[0]).append(" \"$ns\" \"cat /proc/$pid/net/").append(t[1])
                    .append("\" cat \"/proc/$pid/net/").append(t[1]).append("\"\n");
        }
        s.append("done <\"$work/ns\"\n");
        s.append("pa_owners() {\n").append(CaptureCommands.SOCKET_OWNERS_BODY).append("}\n");
        s.append("entry ").append(CaptureCommands.SOCKET_OWNERS.kind()).append(" - ").append(Sh.quote(CaptureCommands.SOCKET_OWNERS.command()))
                .append(" pa_owners\n");
        s.append("""
                printf 'end\\t%s\\n' "$(date +%s)" >>"$m"
                if [ "${PORTAUDIT_BUNDLE:-}" != text ] && have tar && have gzip; then
                  out=${1:-portaudit-$host-$stamp.tar.gz}
                  { tar -cf "$work/bundle.tar" -C "$work" portaudit-bundle && gzip -c "$work/bundle.tar" >"$out"; } \\
                    || { echo "portaudit: cannot write $out" >&2; exit 1; }
                else
                  out=${1:-portaudit-$host-$stamp.txt}
                  {
                    printf 'portaudit-bundle-text\\t%s\\n' "$PA_FORMAT"
                    for f in "$d"/*; do
                      printf '=== %s %s\\n' "${f##*/}" $(wc -c <"$f")
                      cat "$f"
                      printf '\\n'
                    done
                  } >"$out" || { echo "portaudit: cannot write $out" >&2; exit 1; }
                fi
                echo "portaudit: wrote $out -- bring it back and run: portaudit audit --bundle $out" >&2
                """);
        return s.toString();
    }
}
