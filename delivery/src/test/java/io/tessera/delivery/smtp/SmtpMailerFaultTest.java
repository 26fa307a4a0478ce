package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.mime.MimeAssembler;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Relay faults, played by {@link ScriptedSmtpServer}: throttling, unknown users, outages, dropped connections. */
class SmtpMailerFaultTest {

    static final MimeAssembler ASSEMBLER = new MimeAssembler(InstantSource.system(), Optional.empty());

    static SmtpMailer mailer(int port, int attempts) {
        return new SmtpMailer(SmtpSettings.of("127.0.0.1", port).withPool(2, 2)
                .withRetries(attempts, Duration.ofMillis(10), Duration.ofMillis(40)), ASSEMBLER);
    }

    @Test
    void throttlingRepliesAreRetriedWithBackoffUntilAccepted() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().throttleFirstAttempts(2, "451 4.7.1 slow down");
             SmtpMailer mailer = mailer(relay.port(), 3)) {
            DeliveryVerdict v = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(v).isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(relay.receivedFor("ann@example.com")).isEqualTo(1);
        }
    }

    @Test
    void throttlingBeyondTheAttemptsIsATemporaryFailureWithTheReply() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().throttleFirstAttempts(5, "452 4.7.1 slow down");
             SmtpMailer mailer = mailer(relay.port(), 2)) {
            DeliveryVerdict v = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(v).isInstanceOfSatisfying(DeliveryVerdict.TemporaryFailure.class, t -> {
                assertThat(t.code()).isEqualTo(452);
                assertThat(t.reply()).contains("slow down");
            });
            assertThat(relay.received()).isEmpty();
        }
    }

    @Test
    void unknownUserIsAPermanentFailureAndNotRetried() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().onRcpt(a -> {
                 asked.incrementAndGet();
                 return a.startsWith("nobody") ? Optional.of("550 5.1.1 no such user") : Optional.empty();
             });
             SmtpMailer mailer = mailer(relay.port(), 3)) {
            DeliveryVerdict bad = mailer.send(SmtpMailerTest.message("nobody@example.com"), () -> { });
            DeliveryVerdict good = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(bad).isInstanceOfSatisfying(DeliveryVerdict.PermanentFailure.class,
                    p -> assertThat(p.code()).isEqualTo(550));
            assertThat(good).isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(asked).hasValue(2);
            assertThat(relay.received()).extracting(r -> r.recipients().getFirst()).containsExactly("ann@example.com");
        }
    }

    @Test
    void relayDownAtStartIsATemporaryFailureAndSendingResumesWhenItIsUp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (SmtpMailer mailer = mailer(port, 2)) {
            DeliveryVerdict down = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(down).isInstanceOfSatisfying(DeliveryVerdict.TemporaryFailure.class,
                    t -> assertThat(t.reply()).contains("cannot connect"));
            try (ScriptedSmtpServer relay = new ScriptedSmtpServer(port)) {
                DeliveryVerdict up = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
                assertThat(up).isInstanceOf(DeliveryVerdict.Delivered.class);
                assertThat(relay.receivedFor("ann@example.com")).isEqualTo(1);
            }
        }
    }

    @Test
    void connectionsDroppedBeforeDataAreReopenedAndEveryMessageArrivesOnce() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().dropConnectionEveryNthTransaction(4);
             SmtpMailer mailer = mailer(relay.port(), 3)) {
            for (int i = 0; i < 30; i++) {
                assertThat(mailer.send(SmtpMailerTest.message("r" + i + "@example.com"), () -> { }))
                        .isInstanceOf(DeliveryVerdict.Delivered.class);
            }
            for (int i = 0; i < 30; i++) {
                assertThat(relay.receivedFor("r" + i + "@example.com")).as("r" + i).isEqualTo(1);
            }
            assertThat(relay.connectionsAccepted()).isGreaterThan(5);
        }
    }

    @Test
    void connectionLostAfterEndOfDataIsNeverResent() throws Exception {
        AtomicInteger commits = new AtomicInteger();
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().dropAfterEndOfData(true);
             SmtpMailer mailer = mailer(relay.port(), 3)) {
            DeliveryVerdict v = mailer.send(SmtpMailerTest.message("ann@example.com"), commits::incrementAndGet);
            assertThat(v).isInstanceOfSatisfying(DeliveryVerdict.Delivered.class,
                    d -> assertThat(d.reply()).startsWith("unconfirmed"));
            assertThat(commits).hasValue(1);
            assertThat(relay.receivedFor("ann@example.com")).isEqualTo(1);
        }
    }
}
