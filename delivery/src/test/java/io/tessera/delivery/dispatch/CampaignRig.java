package io.tessera.delivery.dispatch;

import io.tessera.delivery.Mailer;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.smtp.SmtpMailer;
import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.testkit.PlainRenderer;
import io.tessera.testkit.SyntheticAudience;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/** A campaign dispatcher on real parts: SQLite ledger and suppressions, a real SMTP relay. */
final class CampaignRig implements AutoCloseable {

    final SqliteSendLedger ledger;
    final SqliteSuppressionList suppressions;
    final Mailer mailer;
    final SyntheticAudience audience;
    final CampaignDispatcher dispatcher;

    CampaignRig(Path db, int smtpPort, int recipients, int workers, InstantSource clock) {
        this(db, new SmtpMailer(SmtpSettings.of("127.0.0.1", smtpPort).withPool(workers, workers)
                .withRetries(2, Duration.ofMillis(5), Duration.ofMillis(20)),
                new MimeAssembler(clock, Optional.empty())), recipients, workers, clock);
    }

    CampaignRig(Path db, Mailer mailer, int recipients, int workers, InstantSource clock) {
        this.ledger = new SqliteSendLedger(db);
        this.suppressions = new SqliteSuppressionList(db);
        this.mailer = mailer;
        this.audience = new SyntheticAudience(recipients, 5);
        this.dispatcher = new CampaignDispatcher(ledger, suppressions, mailer, PlainRenderer.standard(), audience,
                audience, TrackingLinks.NONE, clock, "mail.shop.example", workers, 3, Duration.ofMillis(20));
    }

    @Override
    public void close() {
        dispatcher.close();
        mailer.close();
        ledger.close();
        suppressions.close();
    }
}
