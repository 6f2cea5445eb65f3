package io.portaudit.web;

import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live updates: one watcher thread asks the store for its change mark every {@code periodMs} and, when it changed,
 * sends the event {@code change} (data: the new mark) to every open {@code /events} stream: an audit was recorded or
 * pruned, or a fleet run's device moved on. The fleet page re-fetches its table and a run's page its progress through
 * htmx on that event. Bounded: at most {@link #MAX_CLIENTS} streams.
 */
final class Events implements AutoCloseable {
    static final int MAX_CLIENTS = 200;

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final Dashboard dashboard;
    private final long periodMs;
    private final Thread watcher;
    private volatile boolean running = true;
    private volatile String mark;

    Events(Dashboard dashboard, long periodMs) {
        this.dashboard = dashboard;
        this.periodMs = periodMs;
        this.mark = dashboard.mark();
        this.watcher = Thread.ofPlatform().daemon().name("portaudit-serve-watcher").unstarted(this::watch);
        watcher.start();
    }

    /** The store's change mark as last seen by the watcher. */
    String mark() {
        return mark;
    }

    void add(SseClient client) {
        if (clients.size() >= MAX_CLIENTS) {
            client.sendComment("too many live streams");
            client.close();
            return;
        }
        clients.add(client);
        client.onClose(() -> clients.remove(client));
        client.sendComment("portaudit: live");
        client.keepAlive();
    }

    int clients() {
        return clients.size();
    }

    private void watch() {
        long ticks = 0;
        while (running) {
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
            try {
                String now = dashboard.mark();
                if (!now.equals(mark)) {
                    mark = now;
                    for (SseClient c : clients) send(c, "change", now);
                } else if (++ticks % Math.max(1, 15_000 / periodMs) == 0) {
                    for (SseClient c : clients) {
                        try {
                            c.sendComment("keep-alive");
                        } catch (RuntimeException e) {
                            clients.remove(c);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // the store was busy or gone for a moment: try again next tick
            }
        }
    }

    private void send(SseClient c, String event, String data) {
        try {
            if (c.terminated()) clients.remove(c);
            else c.sendEvent(event, data);
        } catch (RuntimeException e) {
            clients.remove(c);
        }
    }

    @Override
    public void close() {
        running = false;
        watcher.interrupt();
        for (SseClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        clients.clear();
    }
}
