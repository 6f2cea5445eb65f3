package io.portaudit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Chrome DevTools Protocol client over the JDK's WebSocket, for driving a headless
 * Chromium in tests: start it on a loopback debugging port, open a page, evaluate JavaScript.
 * Every wait is bounded.
 */
final class Cdp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process browser;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Cdp(Process browser, WebSocket socket) {
        this.browser = browser;
        this.socket = socket;
    }

    static Cdp start(String chromium, Path profile) throws Exception {
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IOException("chromium did not open its debugging port: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (JsonNode t : JSON.readTree(list)) if (t.path("type").asText().equals("page")) ws = t.path("webSocketDebuggerUrl").asText();
        if (ws == null) throw new IOException("no page target in " + list);
        Cdp[] self = new Cdp[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(ws), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String msg = partial.toString();
                    partial.setLength(0);
                    try {
                        JsonNode n = JSON.readTree(msg);
                        CompletableFuture<JsonNode> f = n.has("id") && self[0] != null ? self[0].pending.remove(n.get("id").asInt()) : null;
                        if (f != null) f.complete(n);
                    } catch (IOException e) {
                        // not JSON: ignore
                    }
                }
                w.request(1);
                return null;
            }
        }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        self[0] = new Cdp(p, socket);
        return self[0];
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) throw new IOException(method + ": " + reply.get("error"));
        return reply.path("result");
    }

    /** Loads a URL and waits (bounded) until the document is complete. */
    void open(String url) throws Exception {
        call("Page.enable", Map.of());
        call("Page.navigate", Map.of("url", url));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!"complete".equals(eval("document.readyState").asText())) {
            if (System.nanoTime() > deadline) throw new IOException("page did not finish loading: " + url);
            Thread.sleep(50);
        }
    }

    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) throw new IOException("evaluate " + expression + ": " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes away below anyway
        }
        browser.descendants().forEach(ProcessHandle::destroyForcibly);
        browser.destroyForcibly();
        browser.waitFor(10, TimeUnit.SECONDS);
    }

}
