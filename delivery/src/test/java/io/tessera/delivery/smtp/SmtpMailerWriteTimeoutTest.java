package io.tessera.delivery.smtp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.mime.MimeAssembler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A relay that stops reading in the middle of a message must not hold a connection (and its
 * worker) for ever: the {@link WriteWatchdog} closes a socket whose write is blocked for longer
 * than the timeout, and the send fails as a retryable connection loss (the final "." was never
 * written). Played by a fake relay written here: Postfix cannot be told to stop reading.
 */
class SmtpMailerWriteTimeoutTest {

    static final MimeAssembler ASSEMBLER = new MimeAssembler(InstantSource.system(), Optional.empty());

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard: without a write bound the send would block for ever
    void aRelayThatStopsReadingMidMessageLosesTheConnectionAndTheMessageIsRetryable() throws Exception {
        try (StalledRelay relay = new StalledRelay();
             SmtpMailer mailer = new SmtpMailer(SmtpSettings.of("127.0.0.1", relay.port())
                     .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10))
                     .withTimeout(Duration.ofMillis(500)), ASSEMBLER)) {
            AtomicBoolean committed = new AtomicBoolean();
            // far more than the loopback socket buffers hold once the relay stops reading
            String html = "<p>" + "0123456789abcdef".repeat(12 * 1024 * 1024 / 16) + "</p>";
            DeliveryVerdict v = mailer.send(new OutgoingMessage("c1.p1.big@shop.example", "news@shop.example",
                    "ann@example.com", "Big", html, "big", Optional.empty(), Map.of()), () -> committed.set(true));

            assertThat(v).isInstanceOfSatisfying(DeliveryVerdict.TemporaryFailure.class,
                    t -> assertThat(t.reply()).startsWith("connection lost"));
            assertThat(committed).as("the final \".\" was never reached").isFalse();
        }
    }

    @Test
    void anIdlePooledConnectionOutlivesTheWriteTimeout() throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer();
             SmtpMailer mailer = new SmtpMailer(SmtpSettings.of("127.0.0.1", relay.port()).withPool(1, 1)
                     .withTimeout(Duration.ofMillis(100)), ASSEMBLER)) {
            assertThat(mailer.send(SmtpMailerTest.message("ann@example.com"), () -> { }))
                    .isInstanceOf(DeliveryVerdict.Delivered.class);
            Thread.sleep(500); // five timeouts with the connection idle in the pool: no write in progress, nothing to bound
            assertThat(mailer.send(SmtpMailerTest.message("bob@example.com"), () -> { }))
                    .isInstanceOf(DeliveryVerdict.Delivered.class);
            assertThat(mailer.connectionsOpened()).isEqualTo(1);
            assertThat(relay.count()).isEqualTo(2);
        }
    }

    /** Answers up to DATA's 354, then never reads again. */
    static final class StalledRelay implements AutoCloseable {
        final ServerSocket server = new ServerSocket();
        private final CountDownLatch stalled = new CountDownLatch(1);

        StalledRelay() throws IOException {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(this::serveOne);
        }

        int port() {
            return server.getLocalPort();
        }

        private void serveOne() {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII), 64);
                OutputStream out = s.getOutputStream();
                out.write("220 stalled.example ESMTP\r\n".getBytes(US_ASCII));
                String line;
                while ((line = in.readLine()) != null) {
                    String cmd = line.toUpperCase();
                    if (cmd.startsWith("EHLO") || cmd.startsWith("HELO") || cmd.startsWith("MAIL") || cmd.startsWith("RCPT")) {
                        out.write("250 ok\r\n".getBytes(US_ASCII));
                    } else if (cmd.startsWith("DATA")) {
                        out.write("354 go ahead\r\n".getBytes(US_ASCII));
                        break;
                    }
                }
                stalled.await(); // never read again, until the test ends
            } catch (IOException e) {
                // the test ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            stalled.countDown();
            server.close();
        }
    }
}
