package io.tessera.delivery.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS sockets of one connection's STARTTLS, made by the JDK's default SSL socket factory —
 * the one Angus uses itself when no {@code mail.smtp.ssl.*} trust setting is given (we give none:
 * an operator trusts a private CA with {@code -Djavax.net.ssl.trustStore}) — and remembered, so
 * that {@link DirectDataTransport} can pipeline and write the body over TLS as over a plain
 * connection. Angus still configures the socket (protocols, server identity check) after it is
 * made. One instance per connection, like {@link NoDelaySocketFactory}.
 */
final class StartTlsSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory jdk = (SSLSocketFactory) SSLSocketFactory.getDefault();
    private volatile Socket last;

    /** The TLS socket made last, if STARTTLS happened on this connection. */
    Optional<Socket> lastSocket() {
        return Optional.ofNullable(last);
    }

    private Socket remember(Socket s) {
        last = s;
        return s;
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return remember(jdk.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
        return remember(jdk.createSocket(s, consumed, autoClose));
    }

    @Override
    public Socket createSocket() throws IOException {
        return remember(jdk.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return remember(jdk.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return remember(jdk.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return remember(jdk.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return remember(jdk.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return jdk.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return jdk.getSupportedCipherSuites();
    }
}
