package io.portaudit.collect;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentKeyConstraint;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A minimal ssh-agent client over the agent's UNIX socket ({@code SSH_AUTH_SOCK}), with the JDK's
 * own UNIX-domain sockets: lists identities and asks the agent to sign. Keys never leave the agent.
 * Each reply is bounded (256 KiB) and the socket is read with blocking I/O on a local socket only.
 */
final class UnixAgentClient implements SshAgent {
    private static final int REQUEST_IDENTITIES = 11;
    private static final int IDENTITIES_ANSWER = 12;
    private static final int SIGN_REQUEST = 13;
    private static final int SIGN_RESPONSE = 14;
    private static final int RSA_SHA2_256 = 2;
    private static final int RSA_SHA2_512 = 4;
    private static final int MAX_REPLY = 256 * 1024;

    private final SocketChannel ch;

    UnixAgentClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
    }

    @Override
    public synchronized Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
        Buffer reply = call(new byte[] {REQUEST_IDENTITIES});
        int type = reply.getUByte();
        if (type != IDENTITIES_ANSWER) throw new IOException("ssh-agent refused to list identities (reply " + type + ")");
        long n = reply.getUInt();
        List<Map.Entry<PublicKey, String>> out = new ArrayList<>();
        for (long i = 0; i < n && i < 1000; i++) {
            byte[] blob = reply.getBytes();
            String comment = reply.getString();
            try {
                out.add(new SimpleImmutableEntry<>(new ByteArrayBuffer(blob).getRawPublicKey(), comment));
            } catch (Exception e) {
                // a key type this JDK/MINA cannot use (e.g. a hardware key): skip it
            }
        }
        return out;
    }

    @Override
    public synchronized Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algo, byte[] data)
            throws IOException {
        ByteArrayBuffer req = new ByteArrayBuffer();
        req.putByte((byte) SIGN_REQUEST);
        ByteArrayBuffer k = new ByteArrayBuffer();
        k.putRawPublicKey(key);
        req.putBytes(k.getCompactData());
        req.putBytes(data);
        int flags = 0;
        if ("rsa-sha2-256".equals(algo)) flags = RSA_SHA2_256;
        if ("rsa-sha2-512".equals(algo)) flags = RSA_SHA2_512;
        req.putUInt(flags);
        Buffer reply = call(req.getCompactData());
        int type = reply.getUByte();
        if (type != SIGN_RESPONSE) throw new IOException("ssh-agent refused to sign (reply " + type + ")");
        Buffer sig = new ByteArrayBuffer(reply.getBytes());
        String sigAlgo = sig.getString();
        return new SimpleImmutableEntry<>(sigAlgo == null ? KeyUtils.getKeyType(key) : sigAlgo, sig.getBytes());
    }

    private Buffer call(byte[] msg) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(4 + msg.length);
        out.putInt(msg.length).put(msg).flip();
        while (out.hasRemaining()) ch.write(out);
        ByteBuffer len = ByteBuffer.allocate(4);
        readFully(len);
        int n = len.flip().getInt();
        if (n <= 0 || n > MAX_REPLY) throw new IOException("ssh-agent sent a bad reply length " + n);
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(body);
        return new ByteArrayBuffer(body.array());
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new IOException("ssh-agent closed the connection");
        }
    }

    @Override
    public void addIdentity(KeyPair key, String comment, SshAgentKeyConstraint... constraints) throws IOException {
        throw new IOException("portaudit does not add keys to an agent");
    }

    @Override
    public void removeIdentity(PublicKey key) throws IOException {
        throw new IOException("portaudit does not remove keys from an agent");
    }

    @Override
    public void removeAllIdentities() throws IOException {
        throw new IOException("portaudit does not remove keys from an agent");
    }

    @Override
    public boolean isOpen() {
        return ch.isOpen();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    /** Gives MINA's client an agent connection; no agent forwarding to the device. */
    static final class Factory implements SshAgentFactory {
        private final Path socket;

        Factory(Path socket) {
            this.socket = socket;
        }

        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of();
        }

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
            return new UnixAgentClient(socket);
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) throws IOException {
            throw new IOException("agent forwarding is not offered");
        }
    }
}
