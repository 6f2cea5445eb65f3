package io.portaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portaudit.collect.CollectScript;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CollectScriptCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter out, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void printsTheScript() {
        StringWriter out = new StringWriter();
        assertThat(run(out, "collect-script")).isZero();
        assertThat(out.toString()).isEqualTo(CollectScript.text()).startsWith("#!/bin/sh\n");
    }

    @Test
    void writesAnExecutableFile() throws Exception {
        Path f = dir.resolve("collect.sh");
        assertThat(run(new StringWriter(), "collect-script", "-o", f.toString())).isZero();
        assertThat(Files.readString(f)).isEqualTo(CollectScript.text());
        assertThat(Files.isExecutable(f)).isTrue();
        assertThat(run(new StringWriter(), "collect-script", "-o", dir.resolve("no/such/dir/x.sh").toString())).isEqualTo(ExitCodes.USAGE);
    }
}
