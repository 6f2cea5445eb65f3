package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.model.L10n;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 item 3, the commands' own lines beyond their usage errors: with {@code --lang ja}, what the store, history,
 * show, baseline, scan, firewall --trace, fleet and worker commands print (results and errors) holds no English
 * sentence ({@link CliJapaneseTest#englishLeft}). Inputs are real: a SQLite store filled by audits of the seed's
 * fixtures, a fleet file with mistakes, bad store URLs, a store of a newer schema, a locked store, a scan of 127.0.0.1
 * only. Strings from the device (rule lines, paths, names) are taken out before the check; the same commands in
 * English keep their English texts.
 */
class CliJapaneseMessagesTest {
    private static final Path SEED = Path.of("src/test/resources/fixtures/seed").toAbsolutePath();

    @TempDir
    Path dir;

    Path db;

    @BeforeEach
    void fill() throws Exception {
        db = dir.resolve("history.db");
        // two audits of the 440 (with and without its scan) and one of the G3: real results in a real store
        run(0, "audit", "--store", db.toString(), "--device", "pa440", "-q", "--fail-on", "critical",
                "--input", SEED.resolve("440-iptables-L.txt").toString(), "--input", SEED.resolve("440-netstat-a.txt").toString(),
                "--input", SEED.resolve("440-nmap.txt").toString());
        run(0, "audit", "--store", db.toString(), "--device", "pa440", "-q", "--fail-on", "critical",
                "--input", SEED.resolve("440-iptables-L.txt").toString(), "--input", SEED.resolve("440-netstat-a.txt").toString());
        run(0, "audit", "--store", db.toString(), "--device", "g3", "-q", "--fail-on", "critical",
                "--input", SEED.resolve("g3-iptables-L.txt").toString(), "--input", SEED.resolve("g3-netstat-a.txt").toString(),
                "--input", SEED.resolve("g3l-nmap.txt").toString());
    }

    @AfterEach
    void english() {
        L10n.set(L10n.Lang.EN);
    }

    private static MainTest.Run run(int exit, String... args) {
        MainTest.Run r = MainTest.run(args);
        L10n.set(L10n.Lang.EN);
        assertThat(r.exit()).as("%s: %s%s", String.join(" ", args), r.err(), r.out()).isEqualTo(exit);
        return r;
    }

    /** The English sentences left in {@code text} once the device's own lines (the fixtures' rule lines) are taken out. */
    private static List<String> english(String what, String text) throws Exception {
        String t = text;
        for (String f : List.of("440-iptables-L.txt", "g3-iptables-L.txt")) {
            for (String line : Files.readAllLines(SEED.resolve(f))) {
                String l = line.strip();
                if (l.length() > 10) t = t.replace(l, " Q ");
            }
        }
        // show's port rows: the stored values (service names, firewall verdicts, scan states) are the device's and
        // nmap's words, as in the text report's port table
        t = t.replaceAll("(?m)^ *(tcp|udp)(/| +)[0-9]+(/| +)ipv[46] .*$", " Q ");
        List<String> out = new ArrayList<>();
        for (String e : CliJapaneseTest.englishLeft(t)) out.add(what + ": " + e);
        return out;
    }

    record Case(String why, int exit, String... args) {}

    @Test
    void storeHistoryShowBaselineAndTheirErrorsAreJapanese() throws Exception {
        String s = db.toString();
        Path notSqlite = Files.writeString(dir.resolve("notes.db"), "these are not the droids you are looking for\n");
        Path newer = dir.resolve("newer.db");
        run(0, "store", "migrate", "--store", newer.toString());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE flyway_schema_history SET version = '99' WHERE version = (SELECT MAX(version) FROM flyway_schema_history)");
        }
        List<Case> cases = List.of(
                new Case("store info", 0, "store", "info", "--lang", "ja", "--store", s),
                new Case("store migrate", 0, "store", "migrate", "--lang", "ja", "--store", s),
                new Case("store prune", 0, "store", "prune", "--lang", "ja", "--keep", "5", "--store", s),
                new Case("store export", 0, "store", "export", "--lang", "ja", "--store", s, dir.resolve("x.jsonl").toString()),
                new Case("history", 0, "history", "--lang", "ja", "--store", s),
                new Case("history DEVICE", 0, "history", "--lang", "ja", "--store", s, "pa440"),
                new Case("history --port", 0, "history", "--lang", "ja", "--store", s, "--port", "tcp/23"),
                new Case("show", 0, "show", "--lang", "ja", "--store", s, "pa440@-1"),
                new Case("baseline set", 0, "baseline", "set", "--lang", "ja", "--store", s, "armadillo-440", "pa440@-1"),
                new Case("baseline show", 0, "baseline", "show", "--lang", "ja", "--store", s, "armadillo-440"),
                new Case("diff", 1, "diff", "--lang", "ja", "--store", s, "pa440@-1", "pa440@latest"),
                // errors of the store and of audit references
                new Case("no such device", 2, "show", "--lang", "ja", "--store", s, "nosuch@latest"),
                new Case("too few audits", 2, "diff", "--lang", "ja", "--store", s, "pa440@-9", "pa440@latest"),
                new Case("no audit that day", 2, "show", "--lang", "ja", "--store", s, "pa440@2001-01-01"),
                new Case("bad reference", 2, "show", "--lang", "ja", "--store", s, "pa440@yesterday"),
                new Case("no audit id", 2, "show", "--lang", "ja", "--store", s, "999"),
                new Case("no baseline", 2, "baseline", "show", "--lang", "ja", "--store", s, "nomodel"),
                new Case("unsupported URL", 2, "history", "--lang", "ja", "--store", "postgres://db/x"),
                new Case("PostgreSQL URL", 2, "history", "--lang", "ja", "--store", "jdbc:postgresql://db"),
                new Case("in-memory URL", 2, "history", "--lang", "ja", "--store", "jdbc:sqlite::memory:"),
                new Case("not SQLite", 2, "history", "--lang", "ja", "--store", notSqlite.toString()),
                new Case("a directory", 2, "store", "migrate", "--lang", "ja", "--store", dir.toString()),
                new Case("newer schema", 2, "history", "--lang", "ja", "--store", newer.toString()),
                new Case("needs a store", 2, "history", "--lang", "ja", "--no-store"));
        List<String> english = new ArrayList<>();
        for (Case c : cases) {
            MainTest.Run r = run(c.exit(), c.args());
            String text = r.out() + r.err();
            assertThat(text).as(c.why()).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
            english.addAll(english(c.why(), text));
        }
        assertThat(english).as("English left with --lang ja").isEmpty();
        MainTest.Run newerJa = run(2, "history", "--lang", "ja", "--store", newer.toString());
        assertThat(newerJa.err()).contains("バージョン 99", "新しい portaudit");
        MainTest.Run history = run(0, "history", "--lang", "ja", "--store", s, "pa440");
        assertThat(history.out()).contains("  監査   日時 ", "不合格", "開放");
    }

    @Test
    void theStoreSaysInJapaneseThatItIsLocked() throws Exception {
        String url = "jdbc:sqlite:" + db + "?busy_timeout=50";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("BEGIN EXCLUSIVE");
            st.executeUpdate("UPDATE devices SET name = name");
            MainTest.Run ja = run(3, "store", "prune", "--lang", "ja", "--keep", "1", "--store", url);
            assertThat(ja.err()).contains("別の書き込み処理がロックしています", "古い監査を削除できません");
            assertThat(english("locked", ja.err())).isEmpty();
            MainTest.Run en = run(3, "store", "prune", "--keep", "1", "--store", url);
            assertThat(en.err()).contains("is locked by another writer (waited for it): cannot prune");
            st.execute("ROLLBACK");
        }
    }

    @Test
    void scanTargetAndPortErrorsAndTheTraceAreJapanese() throws Exception {
        Path fw = SEED.resolve("440-iptables-L.txt");
        List<Case> cases = List.of(
                new Case("port out of range", 2, "scan", "--lang", "ja", "-p", "99999", "127.0.0.1"),
                new Case("port list details", 2, "scan", "--lang", "ja", "-p", "1-99999,foo,,S:5", "127.0.0.1"),
                new Case("excluded ports", 2, "scan", "--lang", "ja", "-p", "80", "--exclude-ports", "70000", "127.0.0.1"),
                new Case("prefix", 3, "scan", "--lang", "ja", "127.0.0.1/40"),
                new Case("octet", 3, "scan", "--lang", "ja", "127.0.0.256"),
                new Case("octet range", 3, "scan", "--lang", "ja", "127.0.0.9-3"),
                new Case("IPv6 prefix", 3, "scan", "--lang", "ja", "::1/200"),
                new Case("rate", 2, "scan", "--lang", "ja", "--min-rate", "9999999999", "127.0.0.1"),
                new Case("audit --scan", 2, "audit", "--lang", "ja", "--scan", "127.0.0.0/30", "--no-store",
                        "--input", fw.toString(), "--input", SEED.resolve("440-netstat-a.txt").toString()),
                new Case("trace", 0, "firewall", "--lang", "ja", "--trace", "tcp/23", fw.toString()),
                new Case("trace -i lo", 0, "firewall", "--lang", "ja", "--trace", "tcp/6000", "--iface", "lo", fw.toString()),
                new Case("trace policy", 0, "firewall", "--lang", "ja", "--trace", "tcp/24", fw.toString()));
        List<String> english = new ArrayList<>();
        for (Case c : cases) {
            MainTest.Run r = run(c.exit(), c.args());
            String text = c.args()[0].equals("firewall") ? r.out() : r.err();
            assertThat(text).as(c.why()).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
            english.addAll(english(c.why(), text));
        }
        assertThat(english).as("English left with --lang ja").isEmpty();
        assertThat(run(2, "scan", "--lang", "ja", "-p", "99999", "127.0.0.1").err()).contains("ポート '99999' が範囲外です (ポートは 1-65535)");
        assertThat(run(0, "firewall", "--lang", "ja", "--trace", "tcp/23", fw.toString()).out())
                .contains("一致せず", "判定: filter INPUT チェインの規則 4 により accept");
        // English as before
        assertThat(run(2, "scan", "-p", "99999", "127.0.0.1").err()).contains("port out of range '99999' (ports are 1-65535)");
        assertThat(run(0, "firewall", "--trace", "tcp/23", fw.toString()).out())
                .contains("INPUT #2 no match: ", "(hook input, priority 0)", "verdict: accept by filter INPUT rule 4");
    }

    @Test
    void fleetFileProblemsRunsAndTheDistributedCommandsAreJapanese() throws Exception {
        Path bad = Files.writeString(dir.resolve("fleet.yaml"), """
                version: 1
                defaults:
                  timing: T9
                  fail-on: bogus
                devices:
                  - name: a1
                    scan-only: true
                  - {name: "12", address: 127.0.0.1, scan-only: true}
                  - name: b1
                    ssh: root@127.0.0.1
                    bundle: x.tar.gz
                  - [1, 2]
                  - name: c1
                    address: "bad address!"
                    scan-only: true
                  - name: d1
                    ports: "99999"
                    address: 127.0.0.1
                    scan-only: true
                  - name: e1
                    bogus: 1
                """);
        Path csv = Files.writeString(dir.resolve("fleet.csv"), "name,address,colour\nx,127.0.0.1\n");
        Path quote = Files.writeString(dir.resolve("quote.csv"), "name,address,scan-only\ny\"z,127.0.0.1,true\n");
        Path rows = Files.writeString(dir.resolve("rows.csv"), "name,address,scan-only\nx,127.0.0.1,true,5\n");
        // one device of loopback only, scanned on 20 ports; one entry skipped (a name of digits)
        Path ok = Files.writeString(dir.resolve("ok.yaml"), """
                version: 1
                defaults:
                  ports: "T:1-20"
                  timeout: 60s
                devices:
                  - name: lo1
                    address: 127.0.0.1
                    scan-only: true
                  - name: 12
                    address: 127.0.0.1
                    scan-only: true
                """);
        String s = db.toString();
        Path kh = dir.resolve("absent_known_hosts");
        List<Case> cases = List.of(
                new Case("fleet file problems", 2, "fleet", "run", "--lang", "ja", "--store", s, bad.toString()),
                new Case("csv column", 2, "fleet", "run", "--lang", "ja", "--store", s, csv.toString()),
                new Case("csv quote", 2, "fleet", "run", "--lang", "ja", "--store", s, quote.toString()),
                new Case("csv row", 3, "fleet", "run", "--lang", "ja", "--store", s, rows.toString()),
                new Case("fleet run", 3, "fleet", "run", "--lang", "ja", "--progress", "none", "--store", s, ok.toString()),
                new Case("fleet report", 0, "fleet", "report", "--lang", "ja", "--store", s, "latest"),
                new Case("fleet report markdown", 0, "fleet", "report", "--lang", "ja", "--store", s, "-o", "markdown", "latest"),
                new Case("no such run", 2, "fleet", "run", "--lang", "ja", "--store", s, "--resume", "nosuch"),
                new Case("status needs PostgreSQL", 2, "fleet", "status", "--lang", "ja", "--store", s, "latest"),
                new Case("submit needs PostgreSQL", 2, "fleet", "submit", "--lang", "ja", "--store", s, ok.toString()),
                new Case("worker needs PostgreSQL", 2, "worker", "--lang", "ja", "--store", s),
                new Case("known_hosts absent", 2, "audit", "--lang", "ja", "--no-store", "--ssh", "root@127.0.0.1", "--known-hosts", kh.toString()),
                new Case("known_hosts a directory", 2, "audit", "--lang", "ja", "--no-store", "--ssh", "root@127.0.0.1", "--known-hosts",
                        dir.toString()));
        List<String> english = new ArrayList<>();
        for (Case c : cases) {
            MainTest.Run r = run(c.exit(), c.args());
            String text = r.out() + r.err();
            assertThat(text).as(c.why()).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
            english.addAll(english(c.why(), text));
        }
        assertThat(english).as("English left with --lang ja").isEmpty();
        assertThat(run(0, "fleet", "report", "--lang", "ja", "--store", s, "-o", "html", "latest").out())
                .contains("<html lang=\"ja\">", "<h2>公開ポート</h2>", "<th>機器</th>");
        assertThat(run(0, "fleet", "report", "--store", s, "latest").out()).contains("1 device(s): 1 pass, 0 fail, 0 partial, 0 could not be audited",
                "exposed ports (devices exposing each, and the programs behind it)");
        MainTest.Run en = run(2, "fleet", "run", "--store", s, bad.toString());
        assertThat(en.err()).contains("fleet.yaml:6: device 'a1': scan-only needs an address; skipped",
                "fleet.yaml:12: a device must be a mapping (key: value), skipped",
                "fleet.yaml:3: defaults: timing: timing must be T0..T5 or paranoid");
        MainTest.Run ja = run(2, "fleet", "run", "--lang", "ja", "--store", s, bad.toString());
        assertThat(ja.err()).contains("fleet.yaml:6: 機器 'a1': scan-only には address が必要です。読み飛ばします");
    }

    /** The last English words of a --lang ja run (jafin4): problem line labels, the diff's side labels. */
    @Test
    void problemLabelsAndDiffSidesAreJapanese() throws Exception {
        Path fw = Files.writeString(dir.resolve("bad.rules"), "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --frobnicate 23 -j ACCEPT\nCOMMIT\n");
        MainTest.Run en = MainTest.run("firewall", fw.toString());
        L10n.set(L10n.Lang.EN);
        assertThat(en.err()).contains("bad.rules:3:17: warning: option '--frobnicate' is not evaluated");
        MainTest.Run ja = MainTest.run("firewall", "--lang", "ja", fw.toString());
        L10n.set(L10n.Lang.EN);
        assertThat(ja.exit()).isEqualTo(en.exit());
        assertThat(ja.err()).contains("bad.rules:3:17: 警告: ").doesNotContain(": warning: ");

        String s = db.toString();
        assertThat(run(1, "diff", "--store", s, "pa440@-1", "pa440@latest").out()).containsPattern("--- pa440@-1 \\(audit 1, [^)]+\\)");
        String d = run(1, "diff", "--lang", "ja", "--store", s, "pa440@-1", "pa440@latest").out();
        assertThat(d).containsPattern("--- pa440@-1（監査 1、[^）]+）").doesNotContain("(audit ");
    }

    /** audit's --no-probe and --fix-script errors (jafin4). */
    @Test
    void auditOptionErrorsAreJapanese() throws Exception {
        String netstat = SEED.resolve("440-netstat-a.txt").toString();
        String noDir = dir.resolve("no/such/dir/fix.sh").toString();
        assertThat(run(2, "audit", "--no-store", "--no-probe", "--input", netstat).err())
                .contains("--no-probe is for an audit of this machine (no --input, --ssh or --bundle)");
        assertThat(run(2, "audit", "--no-store", "--input", netstat, "-q", "--fix-script", noDir).err()).contains("--fix-script " + noDir + ": cannot write: ");
        List<String> english = new ArrayList<>();
        for (Case c : List.of(new Case("--no-probe", 2, "audit", "--lang", "ja", "--no-store", "--no-probe", "--input", netstat),
                new Case("--fix-script", 2, "audit", "--lang", "ja", "--no-store", "--input", netstat, "-q", "--fix-script", noDir))) {
            String err = run(c.exit(), c.args()).err();
            assertThat(err).as(c.why()).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]").doesNotContain("cannot write", "is for an audit");
            english.addAll(english(c.why(), err));
        }
        assertThat(english).as("English left with --lang ja").isEmpty();
    }

    /** serve's start-up errors (jafin4): no token on a non-loopback address, a short token, a port already taken. */
    @Test
    void serveStartErrorsAreJapanese() throws Exception {
        String s = db.toString();
        Path shortToken = Files.writeString(dir.resolve("token"), "short\n");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String busy = "127.0.0.1:" + taken.getLocalPort();
            assertThat(run(2, "serve", "--store", s, "--listen", "0.0.0.0:0").err()).contains("is not a loopback address: give --token-file FILE");
            assertThat(run(2, "serve", "--store", s, "--listen", "127.0.0.1:0", "--token-file", shortToken.toString()).err())
                    .contains("the token is too short: use at least 16 characters");
            assertThat(run(3, "serve", "--store", s, "--listen", busy).err()).contains("cannot listen on " + busy + ": ");
            List<String> english = new ArrayList<>();
            for (Case c : List.of(new Case("not loopback", 2, "serve", "--lang", "ja", "--store", s, "--listen", "0.0.0.0:0"),
                    new Case("short token", 2, "serve", "--lang", "ja", "--store", s, "--listen", "127.0.0.1:0", "--token-file", shortToken.toString()),
                    new Case("port taken", 3, "serve", "--lang", "ja", "--store", s, "--listen", busy))) {
                String err = run(c.exit(), c.args()).err();
                assertThat(err).as(c.why()).containsPattern("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]")
                        .doesNotContain("not a loopback", "too short", "cannot listen");
                english.addAll(english(c.why(), err));
            }
            assertThat(english).as("English left with --lang ja").isEmpty();
        }
    }
}
