package io.tessera.server.opentime;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS listener with a self-signed certificate made by the JDK's keytool. */
class OpenTimeTlsTest {
    static final String PASSWORD = "changeit-test";

    @TempDir
    Path dir;

    @Test
    void feedIsServedOverTlsWithHstsAndAnUntrustedClientIsRefused() throws Exception {
        Path keystore = dir.resolve("tessera.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "tessera", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(out).isZero();

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OpenTimeFixture f = new OpenTimeFixture(OpenTimeFixture.settings());
        OpenTimeRoutes routes = new OpenTimeRoutes(f.tokens, k -> java.util.Optional.of(f.declaration), f.resolver,
                OpenTimeFixture.settings(), f.clock, f.metrics);
        int httpsPort = port;
        Javalin app = Javalin.create(cfg -> {
            new HttpsConnector(keystore, PASSWORD, "127.0.0.1", httpsPort).applyTo(cfg);
            routes.register(cfg.routes);
        }).start("127.0.0.1", 0);
        try {
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + httpsPort + "/o/" + f.feedToken("p_1") + "/feed.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"firstName\":\"Ann\"");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).contains("max-age=31536000"));
            assertThat(r.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));

            HttpClient defaultTrust = HttpClient.newHttpClient();
            try {
                defaultTrust.send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/o/x/feed.json")).build(),
                        HttpResponse.BodyHandlers.ofString());
                throw new AssertionError("a client without the certificate must not connect");
            } catch (SSLHandshakeException expected) {
                assertThat(expected).hasMessageContaining("PKIX");
            }
        } finally {
            app.stop();
            f.close();
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("tessera", ks.getCertificate("tessera"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
