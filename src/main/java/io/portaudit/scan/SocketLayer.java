package io.portaudit.scan;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The socket layer under {@link TcpConnectEngine}: open a non-blocking socket and start a connect,
 * look at it once, wait for news, release it. Two implementations: {@link NioSocketLayer} (Java NIO,
 * every JDK) and {@code NativeSocketLayer} (JDK 22+ on Linux, the kernel's calls through the foreign
 * function API: two system calls per refused port instead of seven, and refused sockets are used
 * again instead of being closed and reopened). Results are Linux errno values, so both layers
 * classify a port the same way ({@link TcpConnectEngine}).
 */
interface SocketLayer extends Closeable {
    /** The connect completed (the port is open). */
    int CONNECTED = 0;
    /** No answer yet. */
    int PENDING = -1;

    // Linux errno values the engine tells apart
    int EPERM = 1, EIO = 5, EACCES = 13, ENOPROTOOPT = 92, ENETUNREACH = 101, ECONNRESET = 104,
            ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTUNREACH = 113;

    /**
     * Opens a socket for {@code p} (bound to local port {@code p.localPort} first when that is not
     * 0: only tests set it) and starts connecting to {@code address}:{@code port}: returns
     * {@link #CONNECTED}, {@link #PENDING} or the errno of a failure (the socket is then still
     * {@code p}'s until {@link #release}). Throws only when no socket could be opened (descriptor
     * limit and the like): nothing is held then, and the caller may try again later.
     */
    int start(TcpConnectEngine.Probe p, InetAddress address, int port) throws IOException;

    /**
     * Whether a probe that reported {@link #CONNECTED} is connected to itself: its socket's local
     * address and port are the target's. On a local address (loopback, an address of this machine)
     * the kernel may pick the probe's own destination port as its ephemeral source port; the SYN
     * then meets its own socket, TCP's simultaneous open completes, and the connect succeeds with
     * nothing listening. Such a connection says nothing about the port.
     */
    boolean connectedToItself(TcpConnectEngine.Probe p);

    /** Looks at a started probe once, without waiting: {@link #CONNECTED}, {@link #PENDING} or an errno. */
    int check(TcpConnectEngine.Probe p);

    /** Asks {@link #select} to report {@code p} once it has an answer. */
    void watch(TcpConnectEngine.Probe p) throws IOException;

    /** Waits up to {@code timeoutMs} (0: not at all) and hands every watched probe with news to {@code ready}. */
    void select(long timeoutMs, Consumer<TcpConnectEngine.Probe> ready) throws IOException;

    /**
     * Lets go of {@code p}'s socket. {@code outcome} is what the probe ended with ({@link #CONNECTED},
     * an errno, or {@link #PENDING} when it is given up): an established connection is reset (the
     * device frees it at once), a refused socket may be kept for another probe.
     */
    void release(TcpConnectEngine.Probe p, int outcome);

    /** Descriptors this layer may hold beyond the probes in flight (sockets kept for reuse, its poller). */
    int spareDescriptors();

    /** "nio" or "native". */
    String name();

    /**
     * The best layer here: the native one on JDK 22+ on Linux (x86-64, aarch64) when native access is
     * enabled for portaudit (the launcher's jar manifest does), else NIO. {@code want} (else the system
     * property {@code portaudit.scan.io}) = {@code nio} | {@code native} forces one ({@code native}
     * fails when it is not available).
     */
    /**
     * The layer to ask {@link #open} for: {@code override} when given, else the system property
     * when set, else the best available for a large scan and NIO for a small one — binding the
     * native layer's C functions costs ~35 ms, and it saves ~10 µs per port.
     */
    static String choose(String override, boolean large) {
        if (override != null) return override;
        if (System.getProperty("portaudit.scan.io") != null) return null;
        return large ? null : "nio";
    }

    static SocketLayer open(int fdBudget, String want) throws IOException {
        if (want == null) want = System.getProperty("portaudit.scan.io", "auto");
        want = want.toLowerCase(Locale.ROOT);
        if (!want.equals("nio")) {
            String why;
            if (Runtime.version().feature() < 22) why = "needs Java 22 or newer";
            else if (!System.getProperty("os.name", "").equals("Linux")) why = "needs Linux";
            else {
                try {
                    return (SocketLayer) Class.forName("io.portaudit.scan.NativeSocketLayer").getDeclaredConstructor(int.class).newInstance(fdBudget);
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    why = c.getMessage() != null ? c.getMessage() : c.toString();
                }
            }
            if (want.equals("native")) throw new IOException("the native socket layer is not available: " + why);
        }
        return new NioSocketLayer();
    }
}
