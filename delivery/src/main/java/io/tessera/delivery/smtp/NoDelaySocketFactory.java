package io.tessera.delivery.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.SocketFactory;

/**
 * Sockets with TCP_NODELAY. Jakarta Mail writes the message body and then the terminating
 * "." as a separate small segment; with Nagle's algorithm on, that segment waits for the ACK of
 * the body, which the relay delays by up to 40 ms — capping a connection at about 25 messages/s.
 * (Measured: 330 msg/s with four connections before, see docs/BENCHMARKS.md.) The sockets
 * themselves come from {@code sockets} (the {@link WriteWatchdog}'s watched ones).
 */
final class NoDelaySocketFactory extends SocketFactory {

    private final Supplier<Socket> sockets;
    private volatile Socket last;

    NoDelaySocketFactory(Supplier<Socket> sockets) {
        this.sockets = sockets;
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket s = sockets.get();
        s.setTcpNoDelay(true);
        last = s;
        return s;
    }

    /** The socket this factory made last, if any: a connection's own factory knows its plain socket. */
    Optional<Socket> lastSocket() {
        return Optional.ofNullable(last);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
