package io.tessera.delivery.smtp;

import io.tessera.delivery.mime.MimeAssembler;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The process {@link SmtpMailerStartTlsTest} starts with a trust store naming the test relay's
 * certificate (as an operator trusts a private CA: {@code -Djavax.net.ssl.trustStore}): sends one
 * message with STARTTLS on or off and prints the verdict.
 */
public final class StartTlsSend {

    public static void main(String[] args) {
        SmtpSettings settings = SmtpSettings.of("127.0.0.1", Integer.parseInt(args[0]))
                .withStartTls(Boolean.parseBoolean(args[1])).withPool(1, 1);
        try (SmtpMailer mailer = new SmtpMailer(settings, new MimeAssembler(InstantSource.system(), Optional.empty()))) {
            System.out.println("VERDICT " + mailer.send(SmtpMailerTest.message(args[2]), () -> { }));
        }
    }
}
