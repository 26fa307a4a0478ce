package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.testkit.TestPostfix;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SMTP AUTH against a Postfix that requires it (Cyrus SASL, PLAIN/LOGIN, its own sasldb): with the
 * right credentials the message is accepted as authenticated (Postfix records ESMTPA and the SASL
 * user); without AUTH the relay refuses the recipient for good; with a wrong password the relay
 * cannot be used at all, which is an outage (temporary, retried later), never a bounce of the recipient.
 */
class SmtpMailerAuthTest {

    static DeliveryVerdict send(TestPostfix relay, SmtpSettings settings, String to) {
        try (SmtpMailer mailer = new SmtpMailer(settings.withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10)),
                new MimeAssembler(InstantSource.system(), Optional.empty()))) {
            return mailer.send(SmtpMailerTest.message(to), () -> { });
        }
    }

    @Test
    void authenticatedSenderIsRelayedAndOthersAreRefused() {
        try (TestPostfix relay = TestPostfix.create().requireAuth("relay-user", "relay-secret").start()) {
            SmtpSettings plain = SmtpSettings.of("127.0.0.1", relay.port());

            DeliveryVerdict authenticated = send(relay, plain.withAuth("relay-user@relay.tessera.test", "relay-secret"),
                    "ann@example.com");
            DeliveryVerdict anonymous = send(relay, plain, "bob@example.com");
            DeliveryVerdict wrongPassword = send(relay, plain.withAuth("relay-user@relay.tessera.test", "guess"),
                    "cy@example.com");

            assertThat(authenticated).as(relay.log()).isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(anonymous).isInstanceOfSatisfying(DeliveryVerdict.PermanentFailure.class,
                    f -> assertThat(f.code()).isEqualTo(554));
            assertThat(wrongPassword).isInstanceOfSatisfying(DeliveryVerdict.TemporaryFailure.class,
                    f -> assertThat(f.reply()).contains("AuthenticationFailed"));
            assertThat(relay.received()).singleElement().satisfies(m -> {
                assertThat(m.deliveredTo()).isEqualTo("ann@example.com");
                assertThat(m.text()).contains("with ESMTPA");
            });
            assertThat(relay.log()).contains("sasl_method=LOGIN, sasl_username=relay-user@relay.tessera.test")
                    .contains("authentication failed");
        }
    }
}
