package io.tessera.server.opentime;

import io.javalin.config.JavalinConfig;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Adds an HTTPS listener to the server (open-time URLs in mail must be HTTPS; AMP requires it).
 * Configuration: {@code server.tls.keystore} (PKCS#12), {@code server.tls.keystore-password}
 * (from the environment or a file), {@code server.tls.port}. TLS 1.2+ only (Jetty's defaults
 * exclude older protocols and weak suites); HSTS is sent on HTTPS responses.
 */
public record HttpsConnector(Path keystore, String password, String host, int port) {

    public void applyTo(JavalinConfig config) {
        config.jetty.addConnector((server, httpConfig) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(keystore.toString());
            ssl.setKeyStorePassword(password);
            ssl.setKeyStoreType("PKCS12");
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setStsMaxAge(31_536_000);
            https.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        });
    }
}
