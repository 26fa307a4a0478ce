package io.tessera.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.testkit.TestPostfix;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Per-domain concurrency against a Postfix that allows one connection per client
 * ({@code smtpd_client_connection_count_limit = 1}, counted by anvil): eight threads sending to one
 * domain through a pool of four connections with one message in flight per domain never open a
 * second session; with four in flight they do, and Postfix turns the extra ones away.
 */
class SmtpMailerConcurrencyTest {

    static List<DeliveryVerdict> sendInParallel(SmtpMailer mailer, int messages) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<DeliveryVerdict>> out = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                String to = "r" + i + "@one.example";
                out.add(pool.submit(() -> mailer.send(SmtpMailerTest.message(to), () -> { })));
            }
            List<DeliveryVerdict> verdicts = new ArrayList<>();
            for (Future<DeliveryVerdict> f : out) {
                verdicts.add(f.get());
            }
            return verdicts;
        }
    }

    @Test
    void oneMessageInFlightPerDomainUsesOneSessionEvenWithAPoolOfFour() throws Exception {
        try (TestPostfix relay = TestPostfix.create().with("smtpd_client_connection_count_limit", "1").start()) {
            SmtpSettings oneAtATime = SmtpSettings.of("127.0.0.1", relay.port()).withPool(4, 1)
                    .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10));
            try (SmtpMailer mailer = new SmtpMailer(oneAtATime, new MimeAssembler(InstantSource.system(), Optional.empty()))) {
                assertThat(sendInParallel(mailer, 24)).allMatch(v -> v instanceof DeliveryVerdict.Delivered);
                assertThat(mailer.connectionsOpened()).isEqualTo(1);
            }
            assertThat(relay.received()).hasSize(24);
            assertThat(relay.log()).doesNotContain("Connection concurrency limit exceeded");

            SmtpSettings fourAtATime = oneAtATime.withPool(4, 4);
            try (SmtpMailer mailer = new SmtpMailer(fourAtATime, new MimeAssembler(InstantSource.system(), Optional.empty()))) {
                List<DeliveryVerdict> verdicts = sendInParallel(mailer, 24);
                assertThat(verdicts).as("the sessions Postfix turned away").anyMatch(v -> v instanceof DeliveryVerdict.TemporaryFailure);
            }
            assertThat(relay.log()).contains("Connection concurrency limit exceeded");
        }
    }
}
