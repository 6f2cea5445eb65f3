package io.portaudit.cli;

import io.portaudit.store.StoreLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit serve}: the dashboard over the history store (package {@code web}, loaded only by this command). */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "A read-only web dashboard over the history store: the fleet, each device's timeline, any audit and any diff; a JSON API.",
        description = {
            "",
            "Pages: / (the fleet; ?model= ?gate= ?port=tcp/23 ?q= ?sort=), /device/ID, /audit/ID (and its downloads), "
                    + "/diff?a=AUDIT&b=AUDIT, /port/tcp/23, /runs (fleet runs, live); the JSON API under /api/v1/ (docs/API.md). Every asset is served from "
                    + "the program itself (no CDN). Nothing can be changed through it.",
            "",
            "It listens on 127.0.0.1:8080 by default. Another address needs --token-file: every request must then carry "
                    + "'Authorization: Bearer TOKEN' or log in at /login (a cookie derived from the token). Stop it with Ctrl-C.",
            ""
        })
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @picocli.CommandLine.Mixin
    LangOption lang;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Address and port to listen on: an IP address or localhost, [IPv6]:PORT; port 0 picks a free one (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the access token (at least 16 characters; its first line). Required for a non-loopback --listen.")
    Path tokenFile;

    /** Set by tests: the running server is handed over instead of blocking. */
    java.util.function.Consumer<AutoCloseable> started;

    @Override
    public Integer call() throws IOException, InterruptedException {
        io.portaudit.model.StartupTrace.mark("serve: parsed");
        String token = null;
        if (tokenFile != null) {
            try {
                String text = new String(io.portaudit.model.BoundedRead.read(tokenFile.toString()), StandardCharsets.UTF_8);
                token = text.lines().findFirst().orElse("").strip();
            } catch (io.portaudit.model.BoundedRead.TooLarge e) {
                throw new UserException("--token-file " + e.getMessage());
            } catch (IOException e) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.cannotread", "--token-file " + tokenFile, e.getMessage()));
            }
            if (token.isEmpty()) throw new UserException(io.portaudit.model.L10n.t("cmd.serve.emptytoken", tokenFile));
        }
        StoreLocation loc = store.location();
        if (loc == null) throw new UserException(io.portaudit.model.L10n.t("cmd.store.needed", "serve"));
        if (loc.file() != null && !Files.exists(loc.file())) {
            throw new UserException(io.portaudit.model.L10n.t("cmd.store.none", loc.display()));
        }
        io.portaudit.web.WebServer server;
        try {
            server = io.portaudit.web.WebServer.start(new io.portaudit.web.WebServer.Config(loc, listen, token, 4, 500));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        } catch (io.portaudit.store.StoreException e) {
            throw new UserException(e.getMessage(), e.exitCode());
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage(), ExitCodes.INCOMPLETE);
        }
        io.portaudit.model.StartupTrace.mark("serve: listening");
        spec.commandLine().getOut().println(server.url());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println("portaudit: " + (token == null ? io.portaudit.model.L10n.t("cmd.serve.serving", loc.display(), server.url())
                : io.portaudit.model.L10n.t("cmd.serve.servingtoken", loc.display(), server.url())));
        spec.commandLine().getErr().flush();
        if (started != null) {
            started.accept(server);
            return ExitCodes.OK;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return ExitCodes.OK;
    }
}
