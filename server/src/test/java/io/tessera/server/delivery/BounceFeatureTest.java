package io.tessera.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.Suppression;
import io.tessera.ingest.hook.HookSignature;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import io.tessera.store.sqlite.SqliteSuppressionList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server: /hooks/bounces is ours (not the generic /hooks/{source}) and the bounce Maildir is polled. */
class BounceFeatureTest {

    @TempDir
    Path dir;

    @Test
    void theServerTakesSignedBouncesAndPollsTheBounceMaildir() throws Exception {
        Path maildir = dir.resolve("Maildir");
        Files.createDirectories(maildir.resolve("new"));
        TesseraConfig config = new TesseraConfig("127.0.0.1", 0, dir.resolve("data"), List.of("wk"), Optional.of("admin"),
                TesseraConfig.Ingest.defaults(), Map.of("HOOKS_BOUNCES_SECRET", "s3cret", "BOUNCES_MAILDIR", maildir.toString(),
                "BOUNCES_POLL_SECONDS", "1"));
        try (Tessera tessera = new Tessera(config).start();
             SqliteSuppressionList suppressions = new SqliteSuppressionList(dir.resolve("data").resolve("tessera.db"))) {
            byte[] body = "{\"email\": \"bob@example.com\", \"type\": \"complaint\"}".getBytes(StandardCharsets.UTF_8);
            String ts = Long.toString(System.currentTimeMillis() / 1000);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + tessera.port() + "/hooks/bounces"))
                    .header("X-Tessera-Timestamp", ts)
                    .header("X-Tessera-Signature", HookSignature.tessera().headerValue("s3cret".getBytes(StandardCharsets.UTF_8), ts, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(suppressions.find("bob@example.com")).get().extracting(Suppression::reason)
                    .isEqualTo(Suppression.Reason.COMPLAINT);

            Files.writeString(maildir.resolve("new").resolve("1.M1.test"), BouncesDsn.FOR_CAROL);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> suppressions.find("carol@example.com").isPresent());
            assertThat(maildir.resolve("cur").resolve("1.M1.test:2,S")).exists();
        }
    }

    /** A minimal RFC 3464 report. */
    static final class BouncesDsn {
        static final String FOR_CAROL = """
                From: MAILER-DAEMON@mx.example
                Subject: Undelivered Mail Returned to Sender
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b"

                --b
                Content-Type: text/plain

                carol@example.com: user unknown
                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example

                Final-Recipient: rfc822; carol@example.com
                Action: failed
                Status: 5.1.1

                --b--
                """;
    }
}
