package io.tessera.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.SendJob;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.smtp.SmtpMailer;
import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.log.kafka.KafkaLogSettings;
import io.tessera.log.kafka.KafkaSendJobQueue;
import io.tessera.log.kafka.KafkaStreamSettings;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresSendLedger;
import io.tessera.store.postgres.PostgresSuppressionList;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.PlainRenderer;
import io.tessera.testkit.SyntheticAudience;
import io.tessera.testkit.TestPostgres;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The send-jobs topic on a real broker, with the real send pipeline on both nodes (a PostgreSQL
 * send ledger shared by them, SMTP to GreenMail): a campaign run's jobs are split across two
 * nodes' consumers; one node is halted mid-run (as by {@code kill -9}: the jobs it took but had
 * not confirmed to Kafka go to the other node). Every recipient gets the mail at most once, and
 * all of them get it except a send the halted node had claimed in the ledger and not finished.
 */
class SendJobsTopicTest {
    private static final int RECIPIENTS = 200;
    private static final int HALT_AFTER = 40;

    @Test
    void jobsAreSplitAcrossNodesAndNobodyIsMailedTwiceWhenANodeDies() throws Exception {
        String run = "sjt-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        KafkaLogSettings kafka = new KafkaLogSettings(KafkaBroker.shared().bootstrapServers(), run + "-events", 1, (short) 1,
                run, 0, Duration.ofSeconds(6), Duration.ofSeconds(30));
        KafkaStreamSettings d = KafkaStreamSettings.defaults().prefixed(run + "-");
        KafkaStreamSettings topics = new KafkaStreamSettings(d.segmentChanges(), 1, d.sendJobs(), 4, d.definitions(),
                d.relayPoll(), d.gapGrace());
        ClusterTopics.ensure(kafka, topics);
        GreenMail smtp = new GreenMail(new ServerSetup(ServeNode.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        InstantSource clock = InstantSource.system();
        SyntheticAudience audience = new SyntheticAudience(RECIPIENTS, 5);
        Campaign campaign = Campaign.simple("autumn", "everyone", "autumn-news", "news@shop.example");
        try (TestPostgres.Schema pg = TestPostgres.freshSchema();
             PostgresDatabase db = PostgresDatabase.open(new PostgresDatabase.Settings(pg.url(), pg.user(), pg.password(), 6))) {
            PostgresSendLedger ledger = new PostgresSendLedger(db);
            PostgresSuppressionList suppressions = new PostgresSuppressionList(db);
            List<AutoCloseable> open = new ArrayList<>();
            try {
                CampaignDispatcher a = dispatcher(ledger, suppressions, smtp, audience, clock, open);
                CampaignDispatcher b = dispatcher(ledger, suppressions, smtp, audience, clock, open);
                KafkaSendJobQueue nodeA = new KafkaSendJobQueue(kafka, topics, 2, clock);
                KafkaSendJobQueue nodeB = new KafkaSendJobQueue(kafka, topics, 2, clock);
                open.add(nodeA);
                open.add(nodeB);
                AtomicInteger byA = new AtomicInteger();
                AtomicInteger byB = new AtomicInteger();
                nodeA.consume(job -> {
                    if (byA.incrementAndGet() == HALT_AFTER) {
                        Thread.ofPlatform().start(nodeA::halt);
                    }
                    return a.sendOne(campaign, job.scope(), job.profileId(), job.due());
                });
                nodeB.consume(job -> {
                    byB.incrementAndGet();
                    return b.sendOne(campaign, job.scope(), job.profileId(), job.due());
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> !nodeA.assignedPartitions().isEmpty()
                        && !nodeB.assignedPartitions().isEmpty());

                Instant due = clock.instant();
                List<SendJob> jobs = new ArrayList<>();
                audience.members("everyone", "", RECIPIENTS).forEach(id -> jobs.add(new SendJob("autumn", "autumn", id, due)));
                nodeB.enqueue(jobs);

                // every job decided or claimed by a node: a recipient has the mail, or a ledger claim not
                // confirmed (in flight, or left by the halted node: at most once means never resent)
                await().atMost(Duration.ofSeconds(90)).until(() -> byB.get() > 0
                        && unconfirmed(ledger).containsAll(missing(audience, recipients(smtp))));
                Set<String> claimed = unconfirmed(ledger); // read before the mails: a confirm follows its mail
                Map<String, Integer> received = recipients(smtp);
                assertThat(received).as("mails per recipient").allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
                assertThat(byA.get()).as("node A took a share before it died").isGreaterThanOrEqualTo(HALT_AFTER);
                assertThat(byB.get()).as("node B took its share and A's unconfirmed jobs").isGreaterThan(0);
                assertThat(missing(audience, received)).as("recipients without a mail: only sends the halted node had claimed")
                        .isSubsetOf(claimed);
            } finally {
                for (int i = open.size() - 1; i >= 0; i--) {
                    open.get(i).close();
                }
                smtp.stop();
            }
        }
    }

    private static CampaignDispatcher dispatcher(PostgresSendLedger ledger, PostgresSuppressionList suppressions, GreenMail smtp,
                                                 SyntheticAudience audience, InstantSource clock, List<AutoCloseable> open) {
        SmtpMailer mailer = new SmtpMailer(SmtpSettings.of("127.0.0.1", smtp.getSmtp().getPort()).withPool(2, 2)
                .withRetries(2, Duration.ofMillis(5), Duration.ofMillis(20)), new MimeAssembler(clock, Optional.empty()));
        CampaignDispatcher dispatcher = new CampaignDispatcher(ledger, suppressions, mailer, PlainRenderer.standard(), audience,
                audience, TrackingLinks.NONE, clock, "mail.shop.example", 2, 0, Duration.ofMillis(20));
        open.add(mailer);
        open.add(dispatcher);
        return dispatcher;
    }

    private static Set<String> missing(SyntheticAudience audience, Map<String, Integer> received) {
        Set<String> missing = new HashSet<>();
        for (int i = 1; i <= RECIPIENTS; i++) {
            if (!received.containsKey(audience.address(i))) {
                missing.add(SyntheticAudience.profileId(i));
            }
        }
        return missing;
    }

    private static Set<String> unconfirmed(PostgresSendLedger ledger) {
        Set<String> out = new HashSet<>();
        for (String scope : ledger.unconfirmedScopes()) {
            ledger.unconfirmed(scope).forEach(p -> out.add(p.key().profileId()));
        }
        return out;
    }

    private static Map<String, Integer> recipients(GreenMail smtp) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            for (var to : m.getRecipients(Message.RecipientType.TO)) {
                out.merge(to.toString(), 1, Integer::sum);
            }
        }
        return out;
    }
}
