package io.portaudit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portaudit.cli.MainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A known_hosts file that cannot be used is named as such before any connection: a missing file (unless
 * --accept-new-host-key, which creates it), a directory. Before, a missing file made every device "not known (not in
 * FILE)", as if the key were absent from a file that was there. No connection is made by these tests (the check comes
 * first; the only address named is loopback's discard port).
 */
class KnownHostsFileTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingFileIsAnErrorNamingItUnlessNewKeysAreAccepted() throws Exception {
        Path missing = tmp.resolve("no-such-dir/known_hosts");
        SshOptions o = SshOptions.of(List.of(), missing);
        assertThat(SshCollector.knownHostsProblem(o)).contains(missing.toString()).contains("does not exist").contains("--accept-new-host-key");
        assertThatThrownBy(() -> SshCollector.collect(SshTarget.parse("root@127.0.0.1:9", "root"), o))
                .isInstanceOf(CollectException.class).hasMessageContaining(missing + " does not exist");
        assertThat(SshCollector.knownHostsProblem(o.withAcceptNewHostKey(true))).isNull();
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void aDirectoryIsNeverAKnownHostsFileAnExistingFileIsFine() throws Exception {
        assertThat(SshCollector.knownHostsProblem(SshOptions.of(List.of(), tmp))).contains(tmp.toString()).contains("is a directory");
        assertThat(SshCollector.knownHostsProblem(SshOptions.of(List.of(), tmp).withAcceptNewHostKey(true))).contains("is a directory");
        Path kh = Files.writeString(tmp.resolve("known_hosts"), "");
        assertThat(SshCollector.knownHostsProblem(SshOptions.of(List.of(), kh))).isNull();
    }

    @Test
    void theAuditCommandExitsTwoNamingTheFile() {
        Path missing = tmp.resolve("known_hosts.typo");
        MainTest.Run r = MainTest.run("audit", "--ssh", "root@127.0.0.1:9", "--known-hosts", missing.toString(), "--no-scan", "--no-store");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("known_hosts file " + missing + " does not exist");
    }
}
