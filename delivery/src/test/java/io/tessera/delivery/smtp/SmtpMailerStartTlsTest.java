package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testkit.TestPostfix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS against a Postfix that requires it ({@code smtpd_tls_security_level = encrypt}) with a
 * certificate made here by openssl: the mailer with STARTTLS on delivers over TLS (Postfix records
 * ESMTPS), with it off the relay refuses. The sender runs in its own JVM trusting the certificate
 * through {@code javax.net.ssl.trustStore}, as a deployment with a private CA would.
 */
class SmtpMailerStartTlsTest {

    @TempDir
    Path dir;

    @Test
    void withStartTlsTheMessageTravelsEncryptedAndWithoutItARelayRequiringTlsRefuses() throws Exception {
        try (TestPostfix relay = TestPostfix.create()) {
            Path cert = dir.resolve("relay.pem");
            Path key = dir.resolve("relay.key");
            run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
            Path trust = dir.resolve("trust.p12");
            run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", "relay", "-file", cert.toString(), "-keystore", trust.toString(), "-storetype", "PKCS12",
                    "-storepass", "changeit");
            relay.requireTls(cert, key).start();

            String tls = send(trust, relay.port(), true, "ann@example.com");
            String plain = send(trust, relay.port(), false, "bob@example.com");

            assertThat(tls).as(relay.log()).contains("VERDICT Delivered");
            assertThat(plain).contains("VERDICT PermanentFailure").contains("530").contains("STARTTLS");
            assertThat(relay.received()).hasSize(1);
            assertThat(relay.received().getFirst().deliveredTo()).isEqualTo("ann@example.com");
            assertThat(relay.received().getFirst().text()).contains("with ESMTPS")
                    .contains("Hi <b>Ann</b>");
        }
    }

    private String send(Path trust, int port, boolean startTls, String to) throws Exception {
        return run(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djavax.net.ssl.trustStore=" + trust, "-Djavax.net.ssl.trustStorePassword=changeit",
                "-cp", System.getProperty("java.class.path"), StartTlsSend.class.getName(),
                String.valueOf(port), String.valueOf(startTls), to);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
