package io.portaudit.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over a store's location, for libraries that take one (db-scheduler): connections are kept for
 * reuse (up to {@code maxIdle}; opening a PostgreSQL connection with password authentication costs more than the
 * statements a worker's poll runs on it). A connection handed back is reset to auto-commit, with any open
 * transaction rolled back; one whose use failed with a connection error (SQLSTATE 08...) is closed instead of kept.
 */
public final class StoreDataSource implements DataSource, AutoCloseable {
    private final StoreLocation location;
    private final int maxIdle;
    private final BlockingDeque<Connection> idle = new LinkedBlockingDeque<>();
    private volatile boolean closed;
    private Connection fixed;

    public StoreDataSource(StoreLocation location, int maxIdle) {
        this.location = location;
        this.maxIdle = maxIdle;
    }

    /**
     * A data source that hands out one connection already in use, whose close does nothing: a library's statements
     * then run in the caller's transaction (the caller commits).
     */
    public static DataSource borrowed(Connection c) {
        InvocationHandler h = (proxy, m, args) -> switch (m.getName()) {
            case "close" -> null;
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> {
                try {
                    yield m.invoke(c, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        Connection view = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
        StoreDataSource ds = new StoreDataSource(null, 0);
        ds.fixed = view;
        return ds;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (fixed != null) return fixed;
        if (closed) throw new SQLException("data source closed");
        Connection c = idle.pollFirst();
        if (c == null || c.isClosed()) c = DriverManager.getConnection(location.jdbcUrl(), location.properties());
        return wrap(c);
    }

    private Connection wrap(Connection real) {
        InvocationHandler h = new InvocationHandler() {
            private boolean released;
            private boolean broken;

            @Override
            public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
                switch (m.getName()) {
                    case "close" -> {
                        if (!released) {
                            released = true;
                            release(real, broken);
                        }
                        return null;
                    }
                    case "isClosed" -> {
                        return released || real.isClosed();
                    }
                    case "unwrap", "isWrapperFor" -> {
                        return m.invoke(real, args);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    default -> {
                        if (released) throw new SQLException("connection already closed");
                        try {
                            return m.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            if (e.getCause() instanceof SQLException se && se.getSQLState() != null && se.getSQLState().startsWith("08")) broken = true;
                            throw e.getCause();
                        }
                    }
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private void release(Connection real, boolean broken) {
        try {
            if (!broken && !closed && !real.isClosed()) {
                if (!real.getAutoCommit()) {
                    real.rollback();
                    real.setAutoCommit(true);
                }
                if (idle.size() < maxIdle) {
                    idle.offerFirst(real);
                    return;
                }
            }
        } catch (SQLException e) {
            // not reusable: closed below
        }
        try {
            real.close();
        } catch (SQLException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the store's URL names the user");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the store's URL sets connectTimeout
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        throw new SQLException("not a " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
