package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.testkit.TestPostfix;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Relay faults played by a real Postfix ({@link TestPostfix}) with its own features: per-recipient
 * 4xx/5xx from a {@code check_recipient_access} map, anvil's message rate limit, an outage, and
 * smtpd processes killed mid-session. The one fault Postfix cannot time — a connection lost
 * between the final "." and the reply — is played by the {@link ScriptedSmtpServer} fake.
 */
class SmtpMailerFaultTest {

    static final MimeAssembler ASSEMBLER = new MimeAssembler(InstantSource.system(), Optional.empty());

    static SmtpMailer mailer(int port, int attempts, Duration maxBackoff) {
        return new SmtpMailer(SmtpSettings.of("127.0.0.1", port).withPool(2, 2)
                .withRetries(attempts, Duration.ofMillis(50), maxBackoff), ASSEMBLER);
    }

    @Test
    void anvilThrottlingIsRetriedWithBackoffUntilEveryMessageIsAccepted() throws Exception {
        try (TestPostfix relay = TestPostfix.create().messageRateLimit(5, Duration.ofSeconds(1)).start();
             SmtpMailer mailer = mailer(relay.port(), 10, Duration.ofMillis(800))) {
            for (int i = 0; i < 12; i++) {
                assertThat(mailer.send(SmtpMailerTest.message("r" + i + "@example.com"), () -> { }))
                        .as("r%d; %s", i, relay.log()).isInstanceOf(DeliveryVerdict.Delivered.class);
            }
            for (int i = 0; i < 12; i++) {
                assertThat(relay.receivedFor("r" + i + "@example.com")).as("r" + i).isEqualTo(1);
            }
            assertThat(relay.log()).contains("Message delivery request rate limit exceeded");
        }
    }

    @Test
    void aTemporaryRejectionBeyondTheAttemptsIsATemporaryFailureWithTheReply() throws Exception {
        try (TestPostfix relay = TestPostfix.started().recipientAccess(Map.of("ann@example.com", "452 4.2.2 mailbox full"));
             SmtpMailer mailer = mailer(relay.port(), 2, Duration.ofMillis(100))) {
            DeliveryVerdict v = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(v).isInstanceOfSatisfying(DeliveryVerdict.TemporaryFailure.class, t -> {
                assertThat(t.code()).isEqualTo(452);
                assertThat(t.reply()).contains("mailbox full");
            });
            assertThat(relay.received()).isEmpty();
        }
    }

    @Test
    void aTemporaryRejectionThatClearsIsDeliveredOnALaterAttempt() throws Exception {
        try (TestPostfix relay = TestPostfix.started().recipientAccess(Map.of("ann@example.com", "451 4.7.1 try later"));
             SmtpMailer mailer = mailer(relay.port(), 8, Duration.ofMillis(800))) {
            AtomicInteger attempts = new AtomicInteger();
            Thread clearer = Thread.ofVirtual().start(() -> {
                while (!relay.log().contains("451 4.7.1 <ann@example.com>")) {
                    Thread.onSpinWait();
                }
                relay.recipientAccess(Map.of()); // rewrite, postmap, postfix reload
            });
            DeliveryVerdict v = mailer.send(SmtpMailerTest.message("ann@example.com"), attempts::incrementAndGet);
            clearer.join();
            assertThat(v).as(relay.log()).isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(relay.receivedFor("ann@example.com")).isEqualTo(1);
            assertThat(attempts).as("reached end of data once: the 4xx came at RCPT").hasValue(1);
        }
    }

    @Test
    void unknownUserIsAPermanentFailureAndNotRetried() throws Exception {
        try (TestPostfix relay = TestPostfix.started().recipientAccess(Map.of("nobody@example.com", "550 5.1.1 no such user"));
             SmtpMailer mailer = mailer(relay.port(), 3, Duration.ofMillis(100))) {
            DeliveryVerdict bad = mailer.send(SmtpMailerTest.message("nobody@example.com"), () -> { });
            DeliveryVerdict good = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(bad).isInstanceOfSatisfying(DeliveryVerdict.PermanentFailure.class,
                    p -> assertThat(p.code()).isEqualTo(550));
            assertThat(good).isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(relay.log().split("550 5.1.1 <nobody@example.com>", -1)).as("asked once").hasSize(2);
            assertThat(relay.received()).extracting(TestPostfix.Mail::deliveredTo).containsExactly("ann@example.com");
        }
    }

    @Test
    void relayDownAtStartIsATemporaryFailureAndSendingResumesWhenItIsUp() throws Exception {
        try (TestPostfix relay = TestPostfix.create(); SmtpMailer mailer = mailer(relay.port(), 2, Duration.ofMillis(100))) {
            DeliveryVerdict down = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(down).isInstanceOfSatisfying(DeliveryVerdict.TemporaryFailure.class,
                    t -> assertThat(t.reply()).contains("cannot connect"));
            relay.start();
            DeliveryVerdict up = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(up).isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(relay.receivedFor("ann@example.com")).isEqualTo(1);
        }
    }

    @Test
    void sessionsKilledBetweenMessagesAreReopenedAndEveryMessageArrivesOnce() throws Exception {
        try (TestPostfix relay = TestPostfix.started(); SmtpMailer mailer = mailer(relay.port(), 3, Duration.ofMillis(100))) {
            int killed = 0;
            for (int i = 0; i < 30; i++) {
                if (i % 10 == 9) {
                    killed += relay.killSmtpdProcesses();
                }
                assertThat(mailer.send(SmtpMailerTest.message("r" + i + "@example.com"), () -> { }))
                        .isInstanceOf(DeliveryVerdict.Delivered.class);
            }
            for (int i = 0; i < 30; i++) {
                assertThat(relay.receivedFor("r" + i + "@example.com")).as("r" + i).isEqualTo(1);
            }
            assertThat(killed).isGreaterThanOrEqualTo(3);
            assertThat(mailer.connectionsOpened()).isGreaterThan(3);
        }
    }

    @Test
    void connectionLostAfterEndOfDataIsNeverResent() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().dropAfterEndOfData(true);
             SmtpMailer mailer = mailer(relay.port(), 3, Duration.ofMillis(100))) {
            DeliveryVerdict v = mailer.send(SmtpMailerTest.message("ann@example.com"), commits::incrementAndGet);
            assertThat(v).isInstanceOfSatisfying(DeliveryVerdict.Delivered.class,
                    d -> assertThat(d.reply()).startsWith("unconfirmed"));
            assertThat(commits).hasValue(1);
            assertThat(relay.receivedFor("ann@example.com")).isEqualTo(1);
        }
    }
}
