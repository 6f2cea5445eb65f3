package io.portaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.AddressFamily;
import io.portaudit.model.BindScope;
import io.portaudit.model.Exposure;
import io.portaudit.model.ExposureRange;
import io.portaudit.model.Listener;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortResult;
import io.portaudit.model.PortState;
import io.portaudit.model.ServiceNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The property of issue 15, over every parser and the seed's and lab's captures, with a fixed seed: a damaged input never
 * gives a safer audit than the original — no port goes from possibly reachable to closed/filtered, no listener or open
 * scanned port vanishes, no FAIL becomes PASS — unless an error names a damaged line (the audit is then incomplete, exit 3)
 * or the file is refused as unreadable (exit 2). CRLF line ends, a BOM and trailing blank lines give identical results.
 *
 * <p>{@code -Dfuzz.mutations=N} (default 400, ~10 s) and {@code -Dfuzz.seed=S}; {@code bench/fuzz} runs many more.
 * A violation is written to {@code target/fuzz-reproducers/}; keep it under {@code fixtures/damaged/} (listed in
 * {@code fuzz-reproducers.tsv}, replayed first by this test) once fixed.
 */
class NeverSaferPropertyTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC);
    static final ServiceNames NAMES = ServiceNames.iana();
    static final Path FIX = Path.of("src/test/resources/fixtures");

    /** One capture and the kind it is given as (the kind a user would force, or the sniffed one). */
    record Input(String file, String kind) {}

    static final List<Input> CORPUS = corpus();

    static List<Input> corpus() {
        List<Input> out = new ArrayList<>(List.of(
                new Input("seed/440-iptables-L.txt", "iptables-L"), new Input("seed/g3-iptables-L.txt", "iptables-L"),
                new Input("seed/440-netstat-a.txt", "netstat"), new Input("seed/g3-netstat-a.txt", "netstat"),
                new Input("seed/440-nmap.txt", "nmap-normal"), new Input("seed/g3l-nmap.txt", "nmap-normal"),
                new Input("scan/nmap-pa440-top1000.nmap", "nmap-normal"), new Input("scan/nmap-pa440-top1000.xml", "nmap-xml"),
                new Input("firewall/captured/iptables-save.txt", "iptables-save"),
                new Input("firewall/captured/ip6tables-save.txt", "ip6tables-save"),
                new Input("firewall/captured/iptables-L-v-n-line.txt", "iptables-L"),
                new Input("firewall/captured/ip6tables-L.txt", "ip6tables-L"),
                new Input("firewall/captured/nft-native.txt", "nft"), new Input("firewall/captured/nft-native.json", "nft-json"),
                new Input("firewall/handmade/device-iptables-S.txt", "iptables-S"),
                new Input("inventory/busybox-netstat-tulpn.txt", "netstat")));
        for (String dev : List.of("pa-440", "pa-g3", "pa-nft")) {
            String d = "lab/" + dev + "/";
            out.addAll(List.of(new Input(d + "iptables-L.txt", "iptables-L"), new Input(d + "iptables-L-v-n-line-numbers.txt", "iptables-L"),
                    new Input(d + "iptables-S.txt", "iptables-S"), new Input(d + "iptables-save.txt", "iptables-save"),
                    new Input(d + "ip6tables-L.txt", "ip6tables-L"), new Input(d + "ip6tables-S.txt", "ip6tables-S"),
                    new Input(d + "nft-list-ruleset.txt", "nft"), new Input(d + "nft-j-list-ruleset.json", "nft-json"),
                    new Input(d + "netstat-a.txt", "netstat"), new Input(d + "netstat-tulpn.txt", "netstat"),
                    new Input(d + "netstat-tulpnW.txt", "netstat"), new Input(d + "busybox-netstat-a.txt", "netstat"),
                    new Input(d + "busybox-netstat-tulpn.txt", "netstat"), new Input(d + "ss-tulpn.txt", "ss"),
                    new Input(d + "ss-ltnpe.txt", "ss"), new Input(d + "ss-tulpnH.txt", "ss"),
                    new Input(d + "proc-net-tcp.txt", "proc-net"), new Input(d + "proc-net-tcp6.txt", "proc-net"),
                    new Input(d + "proc-net-udp.txt", "proc-net")));
        }
        // an empty capture (pa-nft's iptables-save: no legacy rules) has nothing to damage
        return out.stream().filter(i -> Files.isRegularFile(FIX.resolve(i.file())) && !read(i.file()).isBlank()).toList();
    }

    static io.portaudit.model.PortSet ps(String range) {
        int d = range.indexOf('-');
        return d < 0 ? io.portaudit.model.PortSet.of(Integer.parseInt(range))
                : io.portaudit.model.PortSet.range(Integer.parseInt(range.substring(0, d)), Integer.parseInt(range.substring(d + 1)));
    }

    static String view(String kind) {
        return kind.startsWith("nmap") ? "scan" : kind.matches("netstat|ss|proc-net") ? "listeners" : "firewall";
    }

    static String read(String file) {
        try {
            return Files.readString(FIX.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ what an audit says, reduced to what can be "safer"

    /** What one audit says: reachable firewall ports, non-loopback listeners, open scanned ports, exit code; or refused (exit 2). */
    record Outcome(Set<String> reach, Set<String> listen, Set<String> open, int exit, List<ParseProblem> errors, boolean refused) {
        static Outcome of(String name, String kind, String text) {
            try {
                AuditInput in = InputSniffer.read(List.of(new InputSniffer.Labeled(name, kind, text)), NAMES, java.time.Clock.systemUTC());
                AuditResult r = Auditor.audit(in, Policy.none(), null, NAMES, CLOCK);
                Set<String> reach = new TreeSet<>(), listen = new TreeSet<>(), open = new TreeSet<>();
                if (r.firewall() != null) {
                    for (AddressFamily f : AddressFamily.values()) {
                        for (io.portaudit.model.Protocol p : io.portaudit.model.Protocol.values()) {
                            Exposure e = r.firewall().exposures().stream().filter(x -> x.family() == f && x.protocol() == p)
                                    .findFirst().orElse(null);
                            // a family with no ruleset is possibly reachable on every port
                            if (e == null) reach.add(f.label() + " " + p.label() + " 1-65535");
                            else for (ExposureRange x : e.ranges()) if (x.verdict().mayReach()) reach.add(f.label() + " " + p.label() + " " + x.range());
                        }
                    }
                }
                for (Listener l : r.listeners()) {
                    if (l.scope() != BindScope.LOOPBACK) listen.add(l.protocol().label() + "/" + l.port());
                }
                if (r.scan() != null) {
                    for (PortResult p : r.scan().results()) {
                        if (p.state() == PortState.OPEN || p.state() == PortState.OPEN_FILTERED) open.add(p.protocol().label() + "/" + p.port());
                    }
                }
                List<ParseProblem> errors = r.problems().stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).toList();
                return new Outcome(reach, listen, open, r.exitCode(), errors, false);
            } catch (InputSniffer.InputException e) {
                return new Outcome(Set.of(), Set.of(), Set.of(), 2, List.of(), true);
            }
        }

        /** Why this outcome is safer than {@code orig}, or null when it is not. */
        String saferThan(Outcome orig) {
            List<String> why = new ArrayList<>();
            for (String r : orig.reach) {
                String[] f = r.split(" ");
                io.portaudit.model.PortSet want = ps(f[2]);
                io.portaudit.model.PortSet have = io.portaudit.model.PortSet.empty();
                for (String m : reach) {
                    String[] g = m.split(" ");
                    if (g[0].equals(f[0]) && g[1].equals(f[1])) have = have.union(ps(g[2]));
                }
                if (!have.containsAll(want)) why.add("firewall " + f[0] + " " + f[1] + " " + f[2] + " no longer reachable (" + want.minus(have) + ")");
            }
            for (String l : orig.listen) if (!listen.contains(l)) why.add("listener " + l + " lost");
            for (String o : orig.open) if (!open.contains(o)) why.add("open scanned port " + o + " lost");
            if (orig.exit == 1 && exit == 0) why.add("FAIL became PASS");
            return why.isEmpty() ? null : String.join("; ", why);
        }

        /** The same answer (for CRLF, BOM, trailing blanks). */
        boolean sameAs(Outcome o) {
            return reach.equals(o.reach) && listen.equals(o.listen) && open.equals(o.open) && exit == o.exit && refused == o.refused;
        }
    }

    // ------------------------------------------------------------------ mutations

    static final String[] UNICODE_SPACES = {"\u00a0", "\u3000", "\u2003", "\u202f"};
    /** Bytes a serial console, a bad decode or a stray key press leaves: control bytes, U+FFFD, Shift_JIS read as UTF-8. */
    static final String[] STRAY = {"\u0000", "\u0001", "\u0007", "\u001b", "\u007f", "\u0008", "\ufffd", "\u7e3a", "\u90e2"};

    /** A mutation: its name, and whether it may remove whole lines (undetectable in formats without an end marker). */
    record Mutated(String op, String text, boolean wholeLinesOnly) {}

    static Mutated mutate(String s, String foreign, Random r) {
        if (s.isEmpty()) return new Mutated("nothing left", s, true);
        List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
        int n = lines.size();
        switch (r.nextInt(9)) {
            case 0 -> { // truncation (a paste cut short): mid-line, or at a line end
                int at = 1 + r.nextInt(Math.max(1, s.length() - 1));
                String t = s.substring(0, at);
                boolean atLineEnd = t.endsWith("\n") || at < s.length() && s.charAt(at) == '\n' || s.substring(at).isBlank();
                return new Mutated("truncation", t, atLineEnd);
            }
            case 1 -> { // stray bytes
                StringBuilder b = new StringBuilder(s);
                int k = 1 + r.nextInt(3);
                for (int i = 0; i < k; i++) b.insert(r.nextInt(b.length() + 1), STRAY[r.nextInt(STRAY.length)]);
                return new Mutated("stray bytes", b.toString(), false);
            }
            case 2 -> { // Unicode spaces where spaces were
                char[] c = s.toCharArray();
                StringBuilder b = new StringBuilder();
                String sp = UNICODE_SPACES[r.nextInt(UNICODE_SPACES.length)];
                for (char ch : c) b.append(ch == ' ' && r.nextInt(4) == 0 ? sp : String.valueOf(ch));
                return new Mutated("unicode spaces", b.toString(), false);
            }
            case 3 -> { // a duplicated header (the first non-blank line, or one that looks like a header)
                List<Integer> heads = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String t = lines.get(i).strip();
                    if (t.startsWith("Chain ") || t.startsWith("target") || t.startsWith("Proto ") || t.startsWith("Active ")
                            || t.startsWith("PORT ") || t.startsWith("*") || t.startsWith(":") || t.startsWith("table ")
                            || t.startsWith("chain ") || t.startsWith("Netid") || t.startsWith("sl ") || t.startsWith("State ")) heads.add(i);
                }
                int h = heads.isEmpty() ? 0 : heads.get(r.nextInt(heads.size()));
                lines.add(h + (r.nextBoolean() ? 1 : 0), lines.get(h));
                return new Mutated("duplicated header", String.join("\n", lines), false);
            }
            case 4 -> { // a dropped line: a capture without it is as valid as one with it
                lines.remove(r.nextInt(n));
                return new Mutated("dropped line", String.join("\n", lines), true);
            }
            case 5 -> { // a duplicated line
                int a = r.nextInt(n);
                lines.add(a, lines.get(a));
                return new Mutated("duplicated line", String.join("\n", lines), false);
            }
            case 6 -> { // a foreign line (from another kind of output) inside
                String[] fl = foreign.split("\n");
                String line = fl[r.nextInt(fl.length)];
                if (line.isBlank()) line = fl[0];
                lines.add(1 + r.nextInt(Math.max(1, n - 1)), line);
                return new Mutated("foreign line", String.join("\n", lines), false);
            }
            case 7 -> { // a control byte between two columns
                StringBuilder b = new StringBuilder(s);
                List<Integer> spaces = new ArrayList<>();
                for (int i = 0; i < s.length(); i++) if (s.charAt(i) == ' ') spaces.add(i);
                if (spaces.isEmpty()) return new Mutated("control byte", s + "\u0001", false);
                b.setCharAt(spaces.get(r.nextInt(spaces.size())), (char) (1 + r.nextInt(8)));
                return new Mutated("control byte", b.toString(), false);
            }
            default -> { // two of the above
                Mutated a = mutate(s, foreign, r);
                Mutated b = mutate(a.text(), foreign, r);
                return new Mutated(a.op() + " + " + b.op(), b.text(), a.wholeLinesOnly() || b.wholeLinesOnly());
            }
        }
    }

    // ------------------------------------------------------------------ the property

    record Figures(int inputs, int mutations, int named, int refused, int sameResult, int wholeLineOnly, List<String> silentlySafer) {}

    static Figures run(long seed, int mutations, Path reproducers) throws IOException {
        Random r = new Random(seed);
        List<String> texts = CORPUS.stream().map(i -> read(i.file())).toList();
        List<Outcome> originals = new ArrayList<>();
        for (int i = 0; i < CORPUS.size(); i++) originals.add(Outcome.of(CORPUS.get(i).file(), CORPUS.get(i).kind(), texts.get(i)));
        int named = 0, refused = 0, same = 0, wholeLines = 0;
        List<String> silent = new ArrayList<>();
        for (int m = 0; m < mutations; m++) {
            int k = r.nextInt(CORPUS.size());
            Input in = CORPUS.get(k);
            int fk = (k + 1 + r.nextInt(CORPUS.size() - 1)) % CORPUS.size();
            // a line of another view's output (a firewall line in a netstat, a socket line in a ruleset): a line of the same
            // view can be a valid line a real capture could hold (then the answer may rightly change)
            while (view(CORPUS.get(fk).kind()).equals(view(in.kind()))) fk = (fk + 1) % CORPUS.size();
            String foreign = texts.get(fk);
            Mutated mu = mutate(texts.get(k), foreign, r);
            Outcome o = Outcome.of(in.file(), in.kind(), mu.text());
            String safer = o.saferThan(originals.get(k));
            if (o.refused) refused++;
            else if (!o.errors().isEmpty()) named++;
            else if (safer == null) same++;
            if (safer != null && !o.refused && o.errors().isEmpty()) {
                if (mu.wholeLinesOnly()) {
                    wholeLines++; // indistinguishable from a real capture without those lines (docs/ROBUSTNESS.md)
                    continue;
                }
                String id = "fuzz-" + seed + "-" + m;
                silent.add(id + " (" + in.file() + " as " + in.kind() + ", " + mu.op() + "): " + safer);
                if (reproducers != null) {
                    Files.createDirectories(reproducers);
                    Files.writeString(reproducers.resolve(id + ".txt"), mu.text(), StandardCharsets.UTF_8);
                    Files.writeString(reproducers.resolve("fuzz-reproducers.tsv"), id + ".txt\t" + in.file() + "\t" + in.kind() + "\n",
                            StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            }
        }
        return new Figures(CORPUS.size(), mutations, named, refused, same, wholeLines, silent);
    }

    @Test
    void noMutationMakesAnAuditSilentlySafer() throws IOException {
        long seed = Long.getLong("fuzz.seed", 15_2026L);
        int mutations = Integer.getInteger("fuzz.mutations", 400);
        Figures f = run(seed, mutations, Path.of("target/fuzz-reproducers"));
        System.out.printf("fuzz: seed %d, %d inputs, %d mutations: %d named by an error (incomplete, exit 3), %d refused (exit 2), "
                        + "%d same or not safer, %d whole-line removals not checked, %d silently safer%n",
                seed, f.inputs(), f.mutations(), f.named(), f.refused(), f.sameResult(), f.wholeLineOnly(), f.silentlySafer().size());
        assertThat(f.inputs()).isGreaterThanOrEqualTo(60);
        assertThat(f.named()).as("damage is named").isPositive();
        assertThat(f.silentlySafer()).as("mutations that made the audit safer without an error naming a line "
                + "(reproducers in target/fuzz-reproducers)").isEmpty();
    }

    @Test
    void crlfBomAndTrailingBlanksGiveIdenticalResults() {
        List<String> differ = new ArrayList<>();
        for (Input in : CORPUS) {
            String t = read(in.file());
            Outcome orig = Outcome.of(in.file(), in.kind(), t);
            Outcome crlf = Outcome.of(in.file(), in.kind(), t.replace("\n", "\r\n"));
            Outcome bom = Outcome.of(in.file(), in.kind(), "\uFEFF" + t);
            Outcome blanks = Outcome.of(in.file(), in.kind(), t + "\n\n   \n\t\n");
            Outcome sniffed = Outcome.of(in.file(), null, "\uFEFF" + t.replace("\n", "\r\n"));
            if (!crlf.sameAs(orig)) differ.add(in.file() + " CRLF");
            if (!bom.sameAs(orig)) differ.add(in.file() + " BOM");
            if (!blanks.sameAs(orig)) differ.add(in.file() + " trailing blanks");
            if (!sniffed.sameAs(orig) && !orig.refused) differ.add(in.file() + " BOM+CRLF, kind sniffed");
            if (!crlf.errors().equals(orig.errors()) && crlf.errors().size() != orig.errors().size()) differ.add(in.file() + " CRLF problems");
        }
        assertThat(differ).isEmpty();
    }

    @Test
    void keptReproducersStayNamedOrNoSafer() throws IOException {
        Path tsv = FIX.resolve("damaged/fuzz-reproducers.tsv");
        if (!Files.exists(tsv)) return;
        List<String> bad = new ArrayList<>();
        for (String row : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (row.isBlank() || row.startsWith("#")) continue;
            String[] f = row.split("\t");
            Outcome orig = Outcome.of(f[1], f[2], read(f[1]));
            Outcome o = Outcome.of(f[1], f[2], read("damaged/" + f[0]));
            String safer = o.saferThan(orig);
            if (safer != null && o.errors().isEmpty() && !o.refused) bad.add(f[0] + ": " + safer);
        }
        assertThat(bad).isEmpty();
    }
}
