package io.tessera.server.cli;

import io.tessera.delivery.bounce.BounceMailbox;
import io.tessera.delivery.bounce.BounceRecorder;
import io.tessera.server.ConfigLoader;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import io.tessera.server.delivery.ProfileBounceEvents;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera bounces import MAILBOX [--watch SECONDS]}: reads delivery status notifications
 * (RFC 3464) and abuse reports (RFC 5965) from an mbox file or a Maildir and applies each bounce:
 * hard bounces and complaints are suppressed, the ledger row of the returned Message-ID turns
 * BOUNCED, and an "Email Bounced" / "Email Marked as Spam" event lands on the profile. With
 * {@code --watch} it keeps polling the Maildir's {@code new/} until stopped. Safe to run again on
 * the same mailbox. Exit code 0; 2 when some messages were not reports (listed on stderr).
 */
@Command(name = "bounces", description = "Process bounce mail.", subcommands = BouncesCommand.Import.class)
public final class BouncesCommand {

    @Command(name = "import", description = "Apply the bounces and complaints in an mbox file or Maildir.")
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MAILBOX", description = "an mbox file or a Maildir directory")
        Path mailbox;

        @Option(names = "--data-dir", description = "data directory (default ./tessera-data)")
        Optional<Path> dataDir;

        @Option(names = "--config", description = "configuration file (tessera.yaml)")
        Optional<Path> config;

        @Option(names = "--watch", paramLabel = "SECONDS", description = "keep polling the Maildir's new/ every SECONDS")
        Optional<Integer> watch;

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(mailbox)) {
                System.err.println("no such mailbox: " + mailbox);
                return 1;
            }
            TesseraConfig c = ConfigLoader.forCommand(config, dataDir);
            InstantSource clock = InstantSource.system();
            Path db = c.dataDir().resolve("tessera.db");
            try (Tessera tessera = new Tessera(c).startProcessing();
                 SqliteSendLedger ledger = new SqliteSendLedger(db);
                 SqliteSuppressionList suppressions = new SqliteSuppressionList(db)) {
                BounceMailbox box = new BounceMailbox(new BounceRecorder(suppressions, ledger,
                        new ProfileBounceEvents(tessera.ingestor(), tessera.profiles()), clock), clock);
                BounceMailbox.Summary s = box.importAll(mailbox);
                print(s);
                while (watch.isPresent() && Files.isDirectory(mailbox)) {
                    Thread.sleep(Duration.ofSeconds(Math.max(1, watch.get())));
                    BounceMailbox.Summary next = box.pollNew(mailbox);
                    if (next.messages() > 0) {
                        print(next);
                    }
                }
                tessera.awaitProfilesCurrent(Duration.ofMinutes(5));
                return s.skipped().isEmpty() ? 0 : 2;
            }
        }

        private void print(BounceMailbox.Summary s) {
            s.skipped().forEach(x -> System.err.println("not a bounce report: " + x));
            System.out.println(mailbox + ": " + s.messages() + " messages, " + s.hard() + " hard bounces, " + s.soft()
                    + " soft bounces, " + s.complaints() + " complaints (" + s.attributed() + " matched to a campaign), "
                    + s.notices() + " delay/delivery notices, " + s.skipped().size() + " not reports");
        }
    }
}
