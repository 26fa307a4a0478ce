package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.mime.MimeAssembler;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SMTP PIPELINING (RFC 2920) on the wire, against the {@link ScriptedSmtpServer} in its
 * pipelining-only mode: it answers MAIL FROM and RCPT TO only once DATA has arrived, so a client
 * that waited for each reply would stall until its read timeout and fail. The same replies per
 * recipient as without pipelining: 5xx permanent, 4xx retried, a connection lost before the end
 * of data retried, after it not. (Postfix, which advertises PIPELINING, runs the same path in
 * {@code SmtpMailerFaultTest}, {@code CampaignPostfixFaultTest} and {@code SmtpEightBitPostfixTest}.)
 */
class SmtpPipeliningTest {

    static final MimeAssembler ASSEMBLER = new MimeAssembler(InstantSource.system(), Optional.empty());

    static SmtpMailer mailer(ScriptedSmtpServer relay, int attempts) {
        return new SmtpMailer(SmtpSettings.of("127.0.0.1", relay.port()).withPool(1, 1)
                .withRetries(attempts, Duration.ofMillis(20), Duration.ofMillis(100))
                .withTimeout(Duration.ofSeconds(5)), ASSEMBLER);
    }

    @Test
    void mailRcptAndDataGoOutAsOneGroupAndEveryMessageArrivesWhole() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().pipeliningOnly();
             SmtpMailer mailer = mailer(relay, 1)) {
            for (int i = 0; i < 3; i++) {
                assertThat(mailer.send(SmtpMailerTest.message("r" + i + "@example.com"), () -> { }))
                        .isInstanceOf(DeliveryVerdict.Delivered.class);
            }
            assertThat(relay.received()).hasSize(3).allSatisfy(r -> {
                assertThat(r.envelopeFrom()).isEqualTo("news@shop.example");
                assertThat(r.text()).contains("Subject: Hi Ann").contains("--=_tessera_").endsWith("--\r\n");
            });
            assertThat(relay.connectionsAccepted()).isEqualTo(1);
            assertThat(relay.commands()).doesNotContain("RSET");
        }
    }

    @Test
    void aRecipientRefusedWith5xxFailsPermanentlyTheGroupIsResetAndTheConnectionCarriesTheNextMessage() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().pipeliningOnly()
                .onRcpt(a -> a.equals("gone@example.com") ? Optional.of("550 5.1.1 no such user") : Optional.empty());
             SmtpMailer mailer = mailer(relay, 3)) {
            AtomicInteger commits = new AtomicInteger();
            DeliveryVerdict v = mailer.send(SmtpMailerTest.message("gone@example.com"), commits::incrementAndGet);
            assertThat(v).isInstanceOfSatisfying(DeliveryVerdict.PermanentFailure.class, f -> {
                assertThat(f.code()).isEqualTo(550);
                assertThat(f.reply()).contains("no such user");
            });
            assertThat(mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { }))
                    .isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(commits).as("never reached the end of data").hasValue(0);
            assertThat(relay.received()).extracting(ScriptedSmtpServer.Received::recipients)
                    .containsExactly(List.of("ann@example.com"));
            assertThat(relay.connectionsAccepted()).isEqualTo(1);
            assertThat(relay.commands()).containsSubsequence("RCPT TO:<gone@example.com>", "DATA", "RSET",
                    "MAIL FROM:<news@shop.example> BODY=8BITMIME", "RCPT TO:<ann@example.com>", "DATA");
        }
    }

    @Test
    void aRelayThatAnswers354AfterARefusedRecipientGetsAnEmptyMessageNeverTheRealOne() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().pipeliningOnly().acceptsDataWithoutRecipients()
                .onRcpt(a -> a.equals("gone@example.com") ? Optional.of("550 5.1.1 no such user") : Optional.empty());
             SmtpMailer mailer = mailer(relay, 3)) {
            AtomicInteger commits = new AtomicInteger();
            assertThat(mailer.send(SmtpMailerTest.message("gone@example.com"), commits::incrementAndGet))
                    .isInstanceOf(DeliveryVerdict.PermanentFailure.class);
            assertThat(mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { }))
                    .isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(relay.emptyMessages()).as("the 354 was ended with a lone '.'").isEqualTo(1);
            assertThat(commits).hasValue(0);
            assertThat(relay.received()).hasSize(1);
            assertThat(relay.received().getFirst().recipients()).containsExactly("ann@example.com");
        }
    }

    @Test
    void aRecipientRefusedWith4xxIsRetriedOnAFreshConnectionUntilAccepted() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().pipeliningOnly()
                .throttleFirstAttempts(2, "451 4.7.1 try again later");
             SmtpMailer mailer = mailer(relay, 5)) {
            AtomicInteger commits = new AtomicInteger();
            assertThat(mailer.send(SmtpMailerTest.message("ann@example.com"), commits::incrementAndGet))
                    .isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(commits).hasValue(1);
            assertThat(relay.receivedFor("ann@example.com")).isEqualTo(1);
            assertThat(relay.connectionsAccepted()).as("a 4xx closes the session").isEqualTo(3);
        }
    }

    @Test
    void aConnectionLostInTheMiddleOfTheGroupIsRetriedAndTheMessageArrivesOnce() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().pipeliningOnly().dropConnectionEveryNthTransaction(2);
             SmtpMailer mailer = mailer(relay, 3)) {
            AtomicInteger commits = new AtomicInteger();
            for (int i = 0; i < 4; i++) {
                assertThat(mailer.send(SmtpMailerTest.message("r" + i + "@example.com"), commits::incrementAndGet))
                        .as("r" + i).isInstanceOf(DeliveryVerdict.Delivered.class);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(relay.receivedFor("r" + i + "@example.com")).as("r" + i).isEqualTo(1);
            }
            assertThat(commits).as("the lost groups never reached the end of data").hasValue(4);
        }
    }

    @Test
    void aConnectionLostAfterTheEndOfDataIsDeliveredUnconfirmedAndNotSentAgain() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().pipeliningOnly().dropAfterEndOfData(true);
             SmtpMailer mailer = mailer(relay, 3)) {
            DeliveryVerdict v = mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { });
            assertThat(v).isInstanceOfSatisfying(DeliveryVerdict.Delivered.class,
                    d -> assertThat(d.reply()).startsWith("unconfirmed"));
            assertThat(relay.receivedFor("ann@example.com")).isEqualTo(1);
        }
    }
}
