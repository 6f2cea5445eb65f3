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

    StorePool(StoreLocation loc, int size) {
        idle = new ArrayBlockingQueue<>(size);
        all = new Store[size];
        try {
            for (int i = 0; i < size; i++) {
                all[i] = Store.open(loc);
                idle.add(all[i]);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    <T> T with(Function<Store, T> work) {
        Store s;
        try {
            s = idle.poll(10, TimeUnit.SECONDS);
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
    public void close() {
        for (Store s : all) if (s != null) s.close();
    }
}
