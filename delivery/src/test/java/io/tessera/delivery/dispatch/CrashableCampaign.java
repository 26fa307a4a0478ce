package io.tessera.delivery.dispatch;

import io.tessera.delivery.Mailer;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.outbox.OutboxMailer;
import io.tessera.store.sqlite.SqliteOutbox;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The process {@link CampaignCrashTest} kills with SIGKILL and starts again: runs one campaign
 * with the SQLite ledger to an SMTP relay ({@code smtp PORT}) or to the outbox ({@code outbox}),
 * then prints a one-line report.
 */
public final class CrashableCampaign {

    public static void main(String[] args) {
        Path db = Path.of(args[0]);
        int recipients = Integer.parseInt(args[1]);
        InstantSource clock = InstantSource.system();
        CampaignRig rig;
        if (args[2].equals("outbox")) {
            Mailer outbox = new OutboxMailer(new SqliteOutbox(db), new MimeAssembler(clock, Optional.empty()), clock);
            rig = new CampaignRig(db, outbox, recipients, 4, clock);
        } else {
            rig = new CampaignRig(db, Integer.parseInt(args[3]), recipients, 4, clock);
        }
        try (rig) {
            CampaignDispatcher.Report r = rig.dispatcher.run(
                    Campaign.simple("crash", "everyone", "t", "news@shop.example"), "crash");
            System.out.println("REPORT sent=" + r.sent() + " already=" + r.alreadyHandled() + " later=" + r.later().size()
                    + " released=" + r.reconciled().released() + " verified=" + r.reconciled().verified()
                    + " assumed=" + r.reconciled().assumed());
        }
    }
}
