package io.tessera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.Suppression;
import io.tessera.event.EventType;
import io.tessera.ingest.RequestVerdict;
import io.tessera.profile.Identity;
import io.tessera.server.Main;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tessera bounces import} as an operator runs it on a data directory and a bounce mbox. */
class BouncesCommandTest {

    static final String DSN = """
            From MAILER-DAEMON  Sun Nov 29 07:12:03 2026
            From: MAILER-DAEMON@mx1.shop.example (Mail Delivery System)
            To: bounces@shop.example
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            <ann@example.com>: host mx.example.com said: 550 5.1.1 User unknown

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx1.shop.example

            Final-Recipient: rfc822; ann@example.com
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <ann@example.com>: User unknown

            --b
            Content-Type: text/rfc822-headers

            From: news@shop.example
            To: ann@example.com
            Message-ID: <autumn.u1.abc@mail.shop.example>

            --b--

            """;

    @Test
    void importingAnMboxSuppressesTheAddressMarksTheLedgerAndPutsTheBounceOnTheProfile(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        String profileId;
        try (Tessera t = new Tessera(TesseraConfig.forTests(data, "wk", "admin")).startProcessing()) {
            RequestVerdict v = t.ingestor().parse(Optional.of(EventType.IDENTIFY),
                    "{\"userId\":\"u1\",\"traits\":{\"email\":\"ann@example.com\"}}".getBytes(StandardCharsets.UTF_8), "test");
            t.ingestor().ingest((RequestVerdict.Parsed) v, "test").join();
            t.awaitProfilesCurrent(Duration.ofSeconds(20));
            profileId = t.profiles().resolve(Identity.userId("u1")).orElseThrow();
        }
        try (SqliteSendLedger ledger = new SqliteSendLedger(data.resolve("tessera.db"))) {
            ledger.claim(new SendKey("autumn", profileId), "autumn.u1.abc@mail.shop.example", "A", Instant.now());
            ledger.confirm(new SendKey("autumn", profileId), SendLedger.Stage.DELIVERED, "250", Instant.now());
        }
        Path mbox = Files.writeString(dir.resolve("bounces.mbox"), DSN);

        int exit = new CommandLine(new Main()).execute("bounces", "import", mbox.toString(), "--data-dir", data.toString());

        assertThat(exit).isZero();
        try (SqliteSuppressionList suppressions = new SqliteSuppressionList(data.resolve("tessera.db"));
             SqliteSendLedger ledger = new SqliteSendLedger(data.resolve("tessera.db"))) {
            assertThat(suppressions.find("ann@example.com")).get().extracting(Suppression::reason)
                    .isEqualTo(Suppression.Reason.HARD_BOUNCE);
            assertThat(ledger.findByMessageId("autumn.u1.abc@mail.shop.example")).get()
                    .extracting(SendLedger.Row::stage).isEqualTo(SendLedger.Stage.BOUNCED);
        }
        try (Tessera t = new Tessera(TesseraConfig.forTests(data, "wk", "admin")).startProcessing()) {
            t.awaitProfilesCurrent(Duration.ofSeconds(20));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> t.profiles().history(profileId).stream()
                    .anyMatch(e -> e.name().equals("Email Bounced") && "hard".equals(e.properties().get("type"))));
        }
    }
}
