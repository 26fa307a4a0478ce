package io.tessera.delivery.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.Suppression;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bounce mailbox (mbox and Maildir) imported into the real SQLite ledger and suppression list. */
class BounceMailboxTest {

    static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-29T08:00:00Z"));
    static final List<String> FIXTURES = List.of("postfix-user-unknown.eml", "gmail-no-such-user-headers-only.eml",
            "exchange-delayed.eml", "exchange-expired-multi-recipient.eml", "arf-abuse-complaint.eml", "out-of-office.eml");
    /** Message-ID → (campaign, profile) as the campaign that sent them recorded it. */
    static final Map<String, SendKey> SENT = Map.of(
            "autumn.p0000003.1x2y3z@mail.shop.example", new SendKey("autumn", "p0000003"),
            "autumn.p0000005.9q8w7e@mail.shop.example", new SendKey("autumn", "p0000005"),
            "autumn.p0000001.a1b2c3@mail.shop.example", new SendKey("autumn", "p0000001"),
            "winter.p0000004.zz11yy@mail.shop.example", new SendKey("winter", "p0000004"));

    @TempDir
    Path dir;
    SqliteSendLedger ledger;
    SqliteSuppressionList suppressions;
    final List<String> events = new CopyOnWriteArrayList<>();
    BounceMailbox mailbox;

    @BeforeEach
    void open() {
        ledger = new SqliteSendLedger(dir.resolve("tessera.db"));
        suppressions = new SqliteSuppressionList(dir.resolve("tessera.db"));
        SENT.forEach((id, key) -> {
            ledger.claim(key, id, "A", CLOCK.instant());
            ledger.confirm(key, SendLedger.Stage.DELIVERED, "250 ok", CLOCK.instant());
        });
        BounceEvents recording = (b, key) -> events.add(b.type().wireName() + " " + b.address() + " "
                + key.map(SendKey::profileId).orElse("-"));
        mailbox = new BounceMailbox(new BounceRecorder(suppressions, ledger, recording, CLOCK), CLOCK);
    }

    @AfterEach
    void close() {
        ledger.close();
        suppressions.close();
    }

    /** An mboxrd file as a mail server's local delivery writes it (From_ lines, ">From" quoting). */
    Path mbox() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String f : FIXTURES) {
            out.write("From MAILER-DAEMON  Sun Nov 29 07:12:03 2026\n".getBytes(StandardCharsets.US_ASCII));
            String text = new String(DsnParserTest.fixture(f), StandardCharsets.UTF_8).replaceAll("(?m)^(>*From )", ">$1");
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write("\n".getBytes(StandardCharsets.US_ASCII));
        }
        return Files.write(dir.resolve("bounces.mbox"), out.toByteArray());
    }

    @Test
    void importingAnMboxSuppressesHardBouncesAndComplaintsAndMarksTheLedger() throws Exception {
        BounceMailbox.Summary s = mailbox.importAll(mbox());

        assertThat(s.messages()).isEqualTo(6);
        assertThat(s.hard()).isEqualTo(2);
        assertThat(s.soft()).isEqualTo(2);
        assertThat(s.complaints()).isEqualTo(1);
        assertThat(s.attributed()).isEqualTo(5);
        assertThat(s.notices()).isEqualTo(2);
        assertThat(s.skipped()).singleElement().asString().contains("no multipart/report part");
        assertThat(suppressions.find("r0000003@d3.example")).get().extracting(Suppression::reason)
                .isEqualTo(Suppression.Reason.HARD_BOUNCE);
        assertThat(suppressions.find("r0000005@d0.example")).isPresent();
        assertThat(suppressions.find("r0000001@d1.example")).get().extracting(Suppression::reason)
                .isEqualTo(Suppression.Reason.COMPLAINT);
        assertThat(suppressions.find("r0000004@d4.example")).as("soft bounces do not suppress").isEmpty();
        assertThat(ledger.findByMessageId("autumn.p0000003.1x2y3z@mail.shop.example")).get()
                .extracting(SendLedger.Row::stage).isEqualTo(SendLedger.Stage.BOUNCED);
        assertThat(ledger.findByMessageId("autumn.p0000001.a1b2c3@mail.shop.example")).get()
                .extracting(SendLedger.Row::stage).as("a complaint means it was delivered").isEqualTo(SendLedger.Stage.DELIVERED);
        assertThat(events).containsExactly("hard r0000003@d3.example p0000003", "hard r0000005@d0.example p0000005",
                "soft r0000004@d4.example p0000004", "soft r0000044@d4.example p0000004",
                "complaint r0000001@d1.example p0000001");
    }

    @Test
    void reimportingTheSameMailboxChangesNothingMore() throws Exception {
        Path box = mbox();
        mailbox.importAll(box);
        List<Suppression> before = suppressions.list(100);
        Map<SendLedger.Stage, Long> stages = ledger.stages("autumn");
        mailbox.importAll(box);
        assertThat(suppressions.list(100)).isEqualTo(before);
        assertThat(ledger.stages("autumn")).isEqualTo(stages);
    }

    @Test
    void pollingAMaildirTakesOnlyNewMessagesAndMarksThemSeen() throws Exception {
        Path maildir = dir.resolve("Maildir");
        Files.createDirectories(maildir.resolve("new"));
        Files.createDirectories(maildir.resolve("tmp"));
        Files.write(maildir.resolve("new").resolve("1764400323.M1P1.mx1"), DsnParserTest.fixture("postfix-user-unknown.eml"));

        BounceMailbox.Summary first = mailbox.pollNew(maildir);
        Files.write(maildir.resolve("new").resolve("1764400400.M2P1.mx1"), DsnParserTest.fixture("arf-abuse-complaint.eml"));
        BounceMailbox.Summary second = mailbox.pollNew(maildir);
        BounceMailbox.Summary third = mailbox.pollNew(maildir);

        assertThat(first.hard()).isEqualTo(1);
        assertThat(second.messages()).isEqualTo(1);
        assertThat(second.complaints()).isEqualTo(1);
        assertThat(third.messages()).isZero();
        try (var cur = Files.list(maildir.resolve("cur"))) {
            assertThat(cur.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("1764400323.M1P1.mx1:2,S", "1764400400.M2P1.mx1:2,S");
        }
        assertThat(mailbox.importAll(maildir).messages()).as("a full import reads cur/ too").isEqualTo(2);
    }

    @Test
    void aBounceForAMessageWeDidNotSendStillSuppressesButIsNotAttributed() {
        BounceRecorder.Outcome o = new BounceRecorder(suppressions, ledger, BounceEvents.NONE, CLOCK).record(new Bounce(
                Bounce.Type.HARD, "x@d9.example", Optional.of("<someone-else@elsewhere.example>"), Optional.empty(),
                SmtpStatus.parse("550 5.1.1"), "user unknown", "webhook", CLOCK.instant()));
        assertThat(o.key()).isEmpty();
        assertThat(o.suppressed()).isTrue();
        assertThat(suppressions.isSuppressed("X@d9.example")).isTrue();
    }
}
