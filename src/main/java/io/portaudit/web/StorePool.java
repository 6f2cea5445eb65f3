package io.portaudit.web;

import io.portaudit.store.Store;
import io.portaudit.store.StoreLocation;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A few open stores (each one JDBC connection, not thread-safe) lent to one request at a time. The dashboard only
 * reads through them. A request that waits more than 10 s for one gets a 503.
 */
final class StorePool implements AutoCloseable {
    private final BlockingQueue<Store> idle;
    private final Store[] all;
    private final StoreLocation loc;
    private int opened;

    /** Opens one store now (so that a bad store fails at start); the others when requests need them. */
    StorePool(StoreLocation loc, int size) {
        this.loc = loc;
        idle = new ArrayBlockingQueue<>(size, true);   // fair: waiting requests are served in order
        all = new Store[size];
        all[0] = Store.open(loc);
        opened = 1;
        idle.add(all[0]);
    }

    /** Another store while fewer than the pool's size are open. */
    private synchronized Store grow() {
        if (opened >= all.length) return null;
        Store s = Store.open(loc);
        all[opened++] = s;
        return s;
    }

    <T> T with(Function<Store, T> work) {
        Store s = idle.poll();
        if (s == null) s = grow();
        try {
            if (s == null) s = idle.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadRequest(503, "interrupted while waiting for the store");
        }
        if (s == null) throw new BadRequest(503, "the store is busy; try again");
        try {
            return work.apply(s);
        } finally {
            idle.add(s);
        }
    }

    @Override
    public synchronized void close() {
        for (Store s : all) if (s != null) s.close();
    }
}
