package io.portaudit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.portaudit.audit.AuditResult;
import io.portaudit.report.HtmlReport;
import io.portaudit.report.Reports;
import io.portaudit.report.Templates;
import io.portaudit.store.StoreLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code portaudit serve}: the dashboard and its JSON API over the history store, read only. Javalin on Jetty, pages
 * rendered by the jte templates ({@code src/main/jte/web}, the audit itself by the report's own templates), htmx and
 * its SSE extension served from the jar. Security: binds to loopback unless given a token; with a token every request
 * needs {@code Authorization: Bearer TOKEN} or the login cookie derived from it; without one, only a loopback Host
 * header is answered (a page on another site cannot reach it through DNS rebinding); a strict Content-Security-Policy
 * (no inline script) and the usual headers on every answer; parameters bounded and checked (400 with a message).
 */
public final class WebServer implements AutoCloseable {
    /** The Content-Security-Policy of every answer: scripts and styles only from this server, no inline script. */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final String COOKIE = "portaudit_session";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** What {@code serve} was asked for. {@code token} null: no authentication (loopback only). */
    public record Config(StoreLocation store, String listen, String token, int pool, long watchMs) {}

    private final Javalin app;
    private final StorePool pool;
    private final Events events;
    private final Dashboard dashboard;
    private final Listen listen;
    private final String token;
    private final String cookie;
    private final PageCache<byte[]> cache = new PageCache<>(512);
    private final Map<String, byte[]> assets = new HashMap<>();

    private WebServer(Config c, Listen listen) {
        // the reader's language: serve's --lang (or LANG), for every request thread (a new thread's default is English)
        io.portaudit.model.L10n.Lang lang = io.portaudit.model.L10n.lang();
        this.listen = listen;
        this.token = c.token();
        this.cookie = token == null ? null : cookieValue(token);
        assets.put("htmx.min.js", resource("/META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js"));
        assets.put("sse.js", resource("/META-INF/resources/webjars/htmx-ext-sse/2.2.2/sse.js"));
        assets.put("report.css", HtmlReport.CSS.getBytes(StandardCharsets.UTF_8));
        assets.put("web.css", resource("/io/portaudit/web/web.css"));
        this.pool = new StorePool(c.store(), Math.max(1, c.pool()));
        try {
            this.dashboard = new Dashboard(pool);
            this.events = new Events(dashboard, c.watchMs());
            // load the fleet while Jetty starts: the first page needs it
            Thread.ofPlatform().daemon().name("portaudit-serve-preload").start(() -> {
                io.portaudit.model.L10n.set(lang);
                try {
                    dashboard.fleet(events.mark());
                    io.portaudit.model.StartupTrace.mark("serve: fleet loaded");
                } catch (RuntimeException ignored) {
                    // the first request loads it again and reports what is wrong
                }
            });
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        io.portaudit.model.StartupTrace.mark("serve: store pool, preload");
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = 16_384;
            // a few handler threads for a machine of a few cores: more only time-slice the same CPUs (requests queue in front)
            var threads = new org.eclipse.jetty.util.thread.QueuedThreadPool(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), 4);
            threads.setName("portaudit-serve");
            cfg.jetty.threadPool = threads;
            cfg.jetty.modifyHttpConfiguration(h -> {
                h.setSendServerVersion(false);
                h.setSendXPoweredBy(false);
                h.setRequestHeaderSize(16_384);
            });
            var r = cfg.routes;
            r.before(ctx -> ctx.attribute("portaudit.t0", System.nanoTime()));
            r.before(ctx -> io.portaudit.model.L10n.set(lang));
            r.before(this::guard);
            // how long the server took (handler time, no network): the Server-Timing header, read by bench/web
            r.after(ctx -> {
                Long t0 = ctx.attribute("portaudit.t0");
                if (t0 != null && !ctx.path().equals("/events")) {
                    ctx.header("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.2f", (System.nanoTime() - t0) / 1e6));
                }
            });
            r.get("/assets/{name}", this::asset);
            r.get("/login", ctx -> page(ctx, 200, "web/login.jte", Map.of("message", "")));
            r.post("/login", this::login);
            r.get("/", ctx -> fleet(ctx, false));
            r.get("/device/{id}", ctx -> {
                long id = Params.id("device id", ctx.pathParam("id"));
                cachedHtml(ctx, "web/device.jte", () -> dashboard.devicePage(id));
            });
            r.get("/audit/{id}", ctx -> {
                long id = Params.id("audit id", ctx.pathParam("id"));
                cachedHtml(ctx, "web/audit.jte", () -> dashboard.auditPage(id));
            });
            r.get("/audit/{id}/capture/{name}", this::capture);
            r.get("/audit/{id}/capture/{name}/view", this::captureView);
            r.get("/audit/{id}/{file}", this::download);
            r.get("/diff", this::diff);
            r.get("/port/{protocol}/{port}", ctx -> html(ctx, "web/port.jte", dashboard.portPage(fleet(), port(ctx))));
            r.get("/runs", ctx -> cachedHtml(ctx, "web/runs.jte", dashboard::runsPage));
            r.get("/runs/{id}", ctx -> {
                String id = Dashboard.runId(ctx.pathParam("id"));
                boolean partial = "true".equals(ctx.header("HX-Request"));
                cachedHtml(ctx, partial ? "web/run-progress.jte" : "web/run.jte", () -> dashboard.runPage(id));
            });
            r.get("/runs/{id}/{file}", this::runReport);
            r.sse("/events", events::add);
            r.get("/api/v1/", ctx -> json(ctx, apiIndex()));
            r.get("/api/v1/fleet", ctx -> fleet(ctx, true));
            r.get("/api/v1/devices/{id}", ctx -> json(ctx, deviceJson(dashboard.devicePage(Params.id("device id", ctx.pathParam("id"))))));
            r.get("/api/v1/audits/{id}", ctx -> json(ctx, auditJson(dashboard.auditPage(Params.id("audit id", ctx.pathParam("id"))))));
            r.get("/api/v1/audits/{id}/captures", ctx -> json(ctx, capturesJson(Params.id("audit id", ctx.pathParam("id")),
                    dashboard.captures(Params.id("audit id", ctx.pathParam("id"))))));
            r.get("/api/v1/audits/{id}/captures/{name}", this::capture);
            r.get("/api/v1/diff", ctx -> {
                require(ctx, "a", "b");
                json(ctx, dashboard.diffPage(ctx.queryParam("a"), ctx.queryParam("b")).get("tree"));
            });
            r.get("/api/v1/runs", ctx -> json(ctx, dashboard.runsPage()));
            r.get("/api/v1/runs/{id}", ctx -> json(ctx, dashboard.runPage(ctx.pathParam("id"))));
            r.get("/api/v1/ports/{protocol}/{port}", ctx -> json(ctx, dashboard.portPage(fleet(), port(ctx))));
            r.exception(BadRequest.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            r.exception(Exception.class, (e, ctx) -> {
                System.err.println("portaudit serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
                error(ctx, 500, "internal error (the server's log says more)");
            });
            r.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) error(ctx, 404, "no page " + ctx.path());
            });
            r.error(405, ctx -> error(ctx, 405, "the dashboard is read-only: " + ctx.method() + " is not allowed here"));
        });
    }

    /** Starts the server; a non-loopback address without a token is refused (IllegalArgumentException). */
    public static WebServer start(Config c) {
        Listen l = Listen.parse(c.listen());
        if (!l.loopback() && (c.token() == null || c.token().isBlank())) {
            throw new IllegalArgumentException(io.portaudit.model.L10n.t("jf.serve.notloopback", c.listen()));
        }
        if (c.token() != null && c.token().strip().length() < 16) {
            throw new IllegalArgumentException(io.portaudit.model.L10n.t("jf.serve.shorttoken"));
        }
        WebServer s = new WebServer(c, l);
        io.portaudit.model.StartupTrace.mark("serve: Javalin configured");
        try {
            s.app.start(l.host(), l.port());
        } catch (RuntimeException e) {
            s.close();
            throw new IllegalStateException(io.portaudit.model.L10n.t("jf.serve.cannotlisten", c.listen(), rootMessage(e)), e);
        }
        return s;
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return listen.url(port());
    }

    @Override
    public void close() {
        events.close();
        try {
            app.stop();
        } finally {
            pool.close();
        }
    }

    // ------------------------------------------------------------------ security

    private void guard(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (!ctx.path().startsWith("/assets/")) ctx.header("Cache-Control", "no-store");
        if (ctx.queryString() != null && ctx.queryString().length() > 2048) throw BadRequest.of("the query string is too long");
        if (token == null) {
            String host = hostOf(ctx.header("Host"));
            if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]") && !host.startsWith("127.")) {
                throw new BadRequest(403, "this dashboard answers only to a loopback address (Host " + Params.shorten(host) + ")");
            }
            return;
        }
        if (ctx.path().startsWith("/assets/") || ctx.path().equals("/login")) return;
        if (authorized(ctx)) return;
        ctx.header("WWW-Authenticate", "Bearer realm=\"portaudit\"");
        throw new BadRequest(401, "authentication required: Authorization: Bearer TOKEN, or log in at /login");
    }

    private boolean authorized(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && same(auth.substring(7).strip(), token.strip())) return true;
        String c = ctx.cookie(COOKIE);
        return c != null && same(c, cookie);
    }

    private void login(Context ctx) {
        if (token == null) {
            ctx.redirect("/");
            return;
        }
        String given = ctx.formParam("token");
        if (given != null && given.length() <= 1024 && same(given.strip(), token.strip())) {
            ctx.header("Set-Cookie", COOKIE + "=" + cookie + "; Path=/; HttpOnly; SameSite=Strict");
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        page(ctx, 401, "web/login.jte", Map.of("message", "wrong token"));
    }

    /** The login cookie: HMAC-SHA256 of a fixed text under the token, so that the cookie is not the token itself. */
    static String cookieValue(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal("portaudit-session-v1".getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String hostOf(String header) {
        if (header == null) return "";
        String h = header.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) return h.contains("]") ? h.substring(0, h.indexOf(']') + 1) : h;
        return h.contains(":") ? h.substring(0, h.indexOf(':')) : h;
    }

    // ------------------------------------------------------------------ pages

    private Fleet fleet() {
        return dashboard.fleet(events.mark());
    }

    private void fleet(Context ctx, boolean api) {
        Fleet.Query q = Fleet.Query.of(ctx::queryParam);
        boolean partial = "true".equals(ctx.header("HX-Request"));
        String key = events.mark() + "|" + (api ? "api" : partial ? "hx" : "page") + "|" + ctx.queryString();
        byte[] cached = cache.get(key);
        if (cached == null) {
            Map<String, Object> m = dashboard.fleetPage(fleet(), q);
            cached = (api ? toJson(m) : Templates.render(partial ? "web/fleet-table.jte" : "web/fleet.jte", m)).getBytes(StandardCharsets.UTF_8);
            cache.put(key, cached);
            io.portaudit.model.StartupTrace.mark("serve: fleet page rendered");
        }
        ctx.contentType(api ? "application/json" : "text/html; charset=utf-8").result(cached);
    }

    private void diff(Context ctx) {
        String a = ctx.queryParam("a"), b = ctx.queryParam("b");
        if ((a == null || a.isBlank()) && (b == null || b.isBlank())) {
            html(ctx, "web/diff.jte", Map.of("a", "", "b", ""));
            return;
        }
        html(ctx, "web/diff.jte", dashboard.diffPage(a, b));
    }

    private static Params.Port port(Context ctx) {
        return Params.port("port", ctx.pathParam("protocol"), ctx.pathParam("port"), ctx.pathParam("protocol") + "/" + ctx.pathParam("port"));
    }

    private static void require(Context ctx, String... names) {
        for (String n : names) {
            if (ctx.queryParam(n) == null || ctx.queryParam(n).isBlank()) throw BadRequest.of(n + " is missing");
        }
    }

    private void download(Context ctx) {
        long id = Params.id("audit id", ctx.pathParam("id"));
        String file = ctx.pathParam("file");
        Dashboard.Download d = java.util.stream.Stream.concat(Dashboard.DOWNLOADS.stream(), java.util.stream.Stream.of(Dashboard.NMAP_XML))
                .filter(x -> x.file().equals(file)).findFirst()
                .orElseThrow(() -> BadRequest.notFound("no download '" + Params.shorten(file) + "'; downloads: "
                        + String.join(", ", Dashboard.DOWNLOADS.stream().map(Dashboard.Download::file).toList())));
        if (d == Dashboard.NMAP_XML) {
            Dashboard.CaptureFile xml = dashboard.nmapXmlFile(id);
            ctx.header("Content-Disposition", "attachment; filename=\"portaudit-audit-" + id + "-" + file + "\"");
            ctx.contentType(CaptureView.contentType(xml.info())).result(xml.bytes().bytes());
            return;
        }
        Dashboard.Stored s = dashboard.stored(id);
        String body;
        if (d.format().equals("json")) {
            body = s.document();
        } else {
            AuditResult r = s.readback().result();
            if (r == null) throw BadRequest.notFound("audit " + id + " was " + s.readback().problem() + ": only report.json");
            StringWriter w = new StringWriter();
            try {
                Reports.write(d.format(), r, w, false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            body = w.toString();
        }
        String type = switch (d.format()) {
            case "json", "sarif" -> "application/json";
            case "html" -> "text/html; charset=utf-8";
            case "junit" -> "application/xml";
            case "markdown" -> "text/markdown; charset=utf-8";
            default -> "text/plain; charset=utf-8";
        };
        ctx.header("Content-Disposition", "attachment; filename=\"portaudit-audit-" + id + "-" + file + "\"");
        ctx.contentType(type).result(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One raw capture of an audit, its bytes as kept (a pasted file's exact bytes), as a download: a Content-Type by
     * its kind with a charset only when the encoding is known ({@link CaptureView#contentType}), never run (a sandboxing
     * Content-Security-Policy, nosniff), a file name of letters, digits, '.', '_' and '-' only.
     */
    private void capture(Context ctx) {
        long id = Params.id("audit id", ctx.pathParam("id"));
        String name = ctx.pathParam("name");
        Dashboard.CaptureFile f = dashboard.capture(id, name);
        ctx.header("Content-Security-Policy", "default-src 'none'; sandbox");
        ctx.header("Content-Disposition", "attachment; filename=\"portaudit-audit-" + id + "-" + name + "\"");
        ctx.contentType(CaptureView.contentType(f.info())).result(f.bytes().bytes());
    }

    /** One raw capture as a page: its text decoded, every byte no encoding decodes marked, everything escaped. */
    private void captureView(Context ctx) {
        long id = Params.id("audit id", ctx.pathParam("id"));
        String name = ctx.pathParam("name");
        Dashboard.CaptureFile f = dashboard.capture(id, name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auditId", id);
        m.put("capture", f.info());
        m.put("view", CaptureView.of(f.bytes()));
        html(ctx, "web/capture.jte", m);
    }

    static final Map<String, String> RUN_REPORTS = Map.of("report.html", "html", "report.json", "json", "report.md", "markdown",
            "report.txt", "text", "report.junit.xml", "junit");

    private void runReport(Context ctx) {
        String id = Dashboard.runId(ctx.pathParam("id"));
        String format = RUN_REPORTS.get(ctx.pathParam("file"));
        if (format == null) throw BadRequest.notFound("no report '" + Params.shorten(ctx.pathParam("file")) + "'; reports: "
                + String.join(", ", new java.util.TreeSet<>(RUN_REPORTS.keySet())));
        String body = dashboard.runReport(id, format);
        String type = switch (format) {
            case "html" -> "text/html; charset=utf-8";
            case "json" -> "application/json";
            case "junit" -> "application/xml";
            case "markdown" -> "text/markdown; charset=utf-8";
            default -> "text/plain; charset=utf-8";
        };
        if (!format.equals("html")) ctx.header("Content-Disposition", "attachment; filename=\"portaudit-fleet-" + id + "-" + ctx.pathParam("file") + "\"");
        ctx.contentType(type).result(body.getBytes(StandardCharsets.UTF_8));
    }

    private void asset(Context ctx) {
        byte[] b = assets.get(ctx.pathParam("name"));
        if (b == null) throw BadRequest.notFound("no asset " + Params.shorten(ctx.pathParam("name")));
        String n = ctx.pathParam("name");
        ctx.header("Cache-Control", "max-age=3600");
        ctx.contentType(n.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8").result(b);
    }

    // ------------------------------------------------------------------ output

    /** A page rendered once per change of the store (and per path and query). */
    private void cachedHtml(Context ctx, String template, java.util.function.Supplier<Map<String, Object>> model) {
        String key = events.mark() + "|" + ctx.path() + "?" + ctx.queryString();
        byte[] b = cache.get(key);
        if (b == null) {
            b = Templates.render(template, model.get()).getBytes(StandardCharsets.UTF_8);
            cache.put(key, b);
        }
        ctx.contentType("text/html; charset=utf-8").result(b);
    }

    private void html(Context ctx, String template, Map<String, Object> model) {
        page(ctx, 200, template, model);
    }

    private static void page(Context ctx, int status, String template, Map<String, Object> model) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(Templates.render(template, model).getBytes(StandardCharsets.UTF_8));
    }

    private static void json(Context ctx, Object value) {
        ctx.contentType("application/json").result(toJson(value).getBytes(StandardCharsets.UTF_8));
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Context ctx, int status, String message) {
        boolean api = ctx.path().startsWith("/api/") || ctx.path().equals("/events")
                || (ctx.header("Accept") != null && ctx.header("Accept").startsWith("application/json"));
        ctx.status(status);
        if (api) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", status);
            m.put("error", message);
            json(ctx, m);
        } else if (status == 401) {
            page(ctx, 401, "web/login.jte", Map.of("message", message));
        } else {
            page(ctx, status, "web/error.jte", Map.of("status", status, "message", message));
        }
    }

    private Map<String, Object> apiIndex() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("api", "portaudit");
        m.put("version", 1);
        m.put("portaudit", Reports.version());
        m.put("endpoints", List.of("/api/v1/fleet?model=&gate=&port=tcp/23&q=&sort=&page=&limit=", "/api/v1/devices/{id}", "/api/v1/audits/{id}",
                "/api/v1/audits/{id}/captures", "/api/v1/audits/{id}/captures/{name} (the bytes as kept)", "/api/v1/diff?a=AUDIT&b=AUDIT", "/api/v1/ports/{tcp|udp}/{port}",
                "/api/v1/runs", "/api/v1/runs/{id}", "/events (text/event-stream)"));
        return m;
    }

    private static Map<String, Object> deviceJson(Map<String, Object> page) {
        Map<String, Object> m = new LinkedHashMap<>(page);
        m.remove("latest");
        m.remove("chart");
        return m;
    }

    private static Map<String, Object> auditJson(Map<String, Object> page) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("audit", page.get("audit"));
        m.put("next", page.get("next"));
        m.put("device", page.get("device"));
        m.put("views", page.get("views"));
        m.put("unreadable", page.get("unreadable"));
        long id = ((Dashboard.TimelineAudit) page.get("audit")).id();
        List<String> downloads = new java.util.ArrayList<>(Dashboard.DOWNLOADS.stream().map(d -> "/audit/" + id + "/" + d.file()).toList());
        if (page.get("nmapXml") != null) downloads.add("/audit/" + id + "/" + Dashboard.NMAP_XML.file());
        m.put("downloads", downloads);
        m.put("nmapXml", page.get("nmapXml") == null ? null : "/audit/" + id + "/" + Dashboard.NMAP_XML.file());
        m.put("noNmapXml", page.get("noNmapXml"));
        @SuppressWarnings("unchecked")
        List<io.portaudit.store.Captures.Stored> caps = (List<io.portaudit.store.Captures.Stored>) page.get("captures");
        m.put("captures", capturesJson(id, caps).get("captures"));
        try {
            m.put("document", JSON.readTree((String) page.get("document")));
        } catch (IOException e) {
            m.put("document", null);
        }
        return m;
    }

    /** The captures of an audit for the API: each with its URL when its text was kept. */
    private static Map<String, Object> capturesJson(long id, List<io.portaudit.store.Captures.Stored> caps) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (var c : caps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("kind", c.kind());
            m.put("command", c.command());
            m.put("source", c.source());
            m.put("exitStatus", c.exitStatus());
            m.put("truncated", c.truncated());
            m.put("netns", c.netns());
            m.put("bytes", c.size());
            m.put("kept", c.kept());
            m.put("exact", c.exact());
            m.put("charset", c.charset());
            m.put("contentType", CaptureView.contentType(c));
            m.put("url", c.kept() ? "/audit/" + id + "/capture/" + c.name() : null);
            m.put("view", c.kept() ? "/audit/" + id + "/capture/" + c.name() + "/view" : null);
            out.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("audit", id);
        m.put("capBytes", io.portaudit.store.Captures.CAP_BYTES);
        m.put("captures", out);
        return m;
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " missing from the build");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        // the commonest reason, in the reader's language (the JDK's text is English)
        if (t instanceof java.net.BindException && String.valueOf(t.getMessage()).startsWith("Address already in use")) return io.portaudit.model.L10n.t("jf.serve.inuse");
        return String.valueOf(t.getMessage());
    }

    /** A small LRU of rendered answers, keyed by the store's change mark, so a changed store never serves an old page. */
    static final class PageCache<V> {
        private final LinkedHashMap<String, V> map;

        PageCache(int max) {
            map = new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, V> e) {
                    return size() > max;
                }
            };
        }

        synchronized V get(String k) {
            return map.get(k);
        }

        synchronized void put(String k, V v) {
            map.put(k, v);
        }
    }

}
