package io.tessera.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.tessera.event.Event;
import io.tessera.profile.Profile;
import io.tessera.segment.CompileVerdict;
import io.tessera.segment.HistoryEvaluator;
import io.tessera.segment.MembershipChange;
import io.tessera.segment.ModelScores;
import io.tessera.segment.SegmentCatalog;
import io.tessera.segment.SegmentCompiler;
import io.tessera.segment.SegmentDefinition;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresMembershipStore;
import io.tessera.store.postgres.PostgresProfileStore;
import io.tessera.store.postgres.PostgresSegmentDefinitionStore;
import io.tessera.store.postgres.PostgresSendLedger;
import io.tessera.store.postgres.PostgresWindowTimerStore;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cluster as it runs: three {@code tessera serve} processes in cluster mode on one Kafka topic
 * and one PostgreSQL database, with a windowed segment (window timers), a lifetime segment and a
 * campaign triggered by entering it, sending through a real SMTP server (GreenMail). Load goes in
 * over HTTP through all three; one is killed with {@code kill -9} mid-load. Then, once the windows
 * have run out: every acknowledged event is applied exactly once; every profile's aggregate counts
 * its stored history (no lost update); memberships equal the brute-force recomputation over the
 * stored events; the membership log of every profile alternates enter/exit (a timer fired twice,
 * or an event applied by two nodes, would log a change twice) and no timer is left; and every buyer
 * got the triggered mail exactly once (at most once if the killed node had claimed it mid-send).
 * Anonymous visitors browse, identify and browse on around the load: each ends as one profile with
 * each of its events once (merges across partitions, see {@code CrossPartitionMergeClusterTest}).
 */
class ClusterServeTest {
    private static final int NODES = 3;
    private static final int USERS = 60;
    private static final int VISITORS = 12;
    private static final int PARTITIONS = 6;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int KILL_AFTER_ACKED = 500;
    private static final int STOP_AFTER_ACKED = 1_000;

    private final Path dir = Path.of("target", "cluster-serve-" + ProcessHandle.current().pid());

    @Test
    void threeServersLoseNothingAndSendOnceWhenOneIsKilledMidLoad() throws Exception {
        Files.createDirectories(dir);
        GreenMail smtp = new GreenMail(new ServerSetup(ServeNode.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        List<ServeNode> nodes = new ArrayList<>();
        try (TestPostgres.Schema pg = TestPostgres.freshSchema()) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "MODE", "cluster",
                    "KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.shared().bootstrapServers(),
                    "KAFKA_TOPICS_EVENTS", "serve-" + ProcessHandle.current().pid() + "-" + System.nanoTime(),
                    "KAFKA_PARTITIONS", Integer.toString(PARTITIONS),
                    "KAFKA_SESSION_TIMEOUT", "6s",
                    "POSTGRES_URL", pg.url(),
                    "POSTGRES_USER", pg.user(),
                    "POSTGRES_PASSWORD", pg.password(),
                    "POSTGRES_POOL_SIZE", "4"));
            settings.putAll(Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                    "SMTP_STARTTLS", "false", "KAFKA_GROUP", "serve-" + System.nanoTime()));
            String topics = "serve-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            settings.putAll(Map.of("KAFKA_TOPICS_SEGMENT_CHANGES", topics + "-segment-changes",
                    "KAFKA_TOPICS_SEND_JOBS", topics + "-send-jobs", "KAFKA_TOPICS_DEFINITIONS", topics + "-definitions"));
            try {
                for (int n = 0; n < NODES; n++) {
                    nodes.add(ServeNode.start(n, dir, settings, "320m"));
                }
                for (ServeNode n : nodes) {
                    assertThat(n.awaitReady(Duration.ofMinutes(2))).as("node " + n.number + " ready (see " + dir + ")").isTrue();
                }
                log("all nodes ready");
                // defined on node 0 while all run: the definitions topic brings them to the others
                define(nodes.get(0));
                for (ServeNode n : nodes) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> n.admin("GET", "/api/v1/segments/buyers", null).statusCode() == 200
                            && n.admin("GET", "/api/v1/segments/recent_viewers", null).statusCode() == 200);
                }
                log("definitions on every node");
                Set<String> acked = new HashSet<>(identifyEveryone(nodes.get(1)));
                acked.addAll(visit(nodes.get(2), 0, false));
                acked.addAll(visitorsIdentify(nodes.get(1)));
                acked.addAll(visit(nodes.get(2), 1, false));
                HttpLoad load = new HttpLoad(nodes, USERS);
                load.start(4);
                await().atMost(Duration.ofMinutes(2)).until(() -> load.ackedCount() >= KILL_AFTER_ACKED);
                nodes.get(0).killMinus9();
                log("node 0 killed at " + load.ackedCount() + " acknowledged");
                await().atMost(Duration.ofMinutes(2)).until(() -> load.ackedCount() >= STOP_AFTER_ACKED);
                load.stop();
                acked.addAll(visit(nodes.get(1), 2, true)); // late anonymous events, after the merges
                log("load stopped: " + load.ackedCount() + " acknowledged, " + load.retries() + " retried");

                try (PostgresDatabase db = PostgresDatabase.open(new PostgresDatabase.Settings(pg.url(), pg.user(), pg.password(), 2))) {
                    acked.addAll(load.acked());
                    verify(db, acked, smtp);
                }
                assertPartitionsClaimedAndMovedAtTheKill(pg);
            } finally {
                for (ServeNode n : nodes) {
                    n.close();
                }
                smtp.stop();
            }
        }
    }

    /**
     * Anonymous visitors ({@code visitor-k}) browse before and after they identify as {@code vu-k}:
     * their profiles are merged across partitions (their anonymousId and userId mostly hash to
     * different ones) while the load runs and a node is killed.
     */
    private static List<String> visit(ServeNode node, int round, boolean alsoKnown) throws Exception {
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        List<String> ids = new ArrayList<>();
        for (int v = 0; v < VISITORS; v++) {
            String id = "visit-" + round + "-" + v;
            ids.add(id);
            batch.append(v == 0 ? "" : ",").append("{\"type\": \"track\", \"messageId\": \"").append(id)
                    .append("\", \"anonymousId\": \"visitor-").append(v).append("\", \"event\": \"Product Viewed\"}");
            if (alsoKnown) {
                ids.add(id + "-known");
                batch.append(",{\"type\": \"track\", \"messageId\": \"").append(id).append("-known\", \"userId\": \"vu-")
                        .append(v).append("\", \"anonymousId\": \"visitor-").append(v).append("\", \"event\": \"Product Viewed\"}");
            }
        }
        var r = node.ingest("/v1/batch", batch.append("]}").toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ids;
    }

    private static List<String> visitorsIdentify(ServeNode node) throws Exception {
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        List<String> ids = new ArrayList<>();
        for (int v = 0; v < VISITORS; v++) {
            ids.add("visitor-identify-" + v);
            batch.append(v == 0 ? "" : ",").append("{\"type\": \"identify\", \"messageId\": \"visitor-identify-").append(v)
                    .append("\", \"userId\": \"vu-").append(v).append("\", \"anonymousId\": \"visitor-").append(v)
                    .append("\", \"traits\": {\"firstName\": \"V").append(v).append("\"}}");
        }
        var r = node.ingest("/v1/batch", batch.append("]}").toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ids;
    }

    /** Every user gets an email address before the load, so every buyer can be mailed. */
    private static List<String> identifyEveryone(ServeNode node) throws Exception {
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        List<String> ids = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            ids.add("id-" + u);
            batch.append(u == 0 ? "" : ",").append("{\"type\": \"identify\", \"messageId\": \"id-").append(u)
                    .append("\", \"userId\": \"u").append(u).append("\", \"traits\": {\"email\": \"").append(HttpLoad.email(u))
                    .append("\", \"firstName\": \"U").append(u).append("\"}}");
        }
        var r = node.ingest("/v1/batch", batch.append("]}").toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ids;
    }

    /** The campaign before the segments: the definitions feed is ordered, so a node that has the segments has re-read the campaigns. */
    private static void define(ServeNode node) throws Exception {
        assertThat(node.admin("PUT", "/api/v1/templates/thanks", """
                {"subject": "Thanks {{ profile.firstName | default: 'there' }}", "html": "<html><body><p>Thank you</p></body></html>"}""")
                .statusCode()).isEqualTo(200);
        var put = node.admin("PUT", "/api/v1/campaigns/thanks-buyer", """
                {"audience": {"segment": "buyers"}, "template": {"key": "thanks"}, "sender": {"address": "shop@shop.example"},
                 "trigger": {"segment": "buyers", "delay": "PT0S"}}""");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String window = WINDOW.toSeconds() + "s";
        assertThat(node.admin("PUT", "/api/v1/segments/recent_viewers",
                "{\"condition\": \"count(\\\"Product Viewed\\\", duration(\\\"" + window + "\\\")) > 0\"}").statusCode()).isEqualTo(200);
        assertThat(node.admin("PUT", "/api/v1/segments/buyers",
                "{\"condition\": \"count(\\\"Order Completed\\\") > 0\"}").statusCode()).isEqualTo(200);
    }

    private void verify(PostgresDatabase db, Set<String> acked, GreenMail smtp) throws Exception {
        PostgresProfileStore profiles = new PostgresProfileStore(db);
        PostgresMembershipStore memberships = new PostgresMembershipStore(db);
        PostgresWindowTimerStore timers = new PostgresWindowTimerStore(db);
        // every acknowledged event applied, then every window run out and its timer fired
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> applied(profiles).keySet().containsAll(acked));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> timers.next().isEmpty() && memberships.count("recent_viewers") == 0);

        log("all applied, timers fired");
        Map<String, Integer> applied = applied(profiles);
        assertThat(applied).as("times each messageId was applied").allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
        SegmentCatalog catalog = catalog(new PostgresSegmentDefinitionStore(db));
        HistoryEvaluator brute = new HistoryEvaluator(new ModelScores());
        Instant now = Instant.now();
        Set<String> buyers = new HashSet<>();
        for (String id : profiles.ids("", 10_000)) {
            Profile p = profiles.get(id).orElseThrow();
            List<Event> history = profiles.history(id);
            long counted = p.events().values().stream().mapToLong(a -> a.count()).sum();
            assertThat(counted).as(id + ": aggregates count every stored event (no lost update)").isEqualTo(history.size());
            Set<String> expected = brute.memberships(catalog, p, history, now);
            assertThat(memberships.memberships(id).keySet()).as(id + ": memberships = brute force").isEqualTo(expected);
            assertAlternates(id, memberships.changes(id));
            if (expected.contains("buyers")) {
                p.identities().getOrDefault(io.tessera.profile.IdentityKind.EMAIL, List.of()).forEach(buyers::add);
            }
        }
        assertThat(buyers).as("the load made buyers").isNotEmpty();
        for (int v = 0; v < VISITORS; v++) {
            String known = profiles.resolve(io.tessera.profile.Identity.userId("vu-" + v)).orElseThrow();
            assertThat(profiles.resolve(io.tessera.profile.Identity.anonymousId("visitor-" + v))).as("visitor %d merged", v).contains(known);
            assertThat(profiles.history(known)).extracting(Event::messageId).as("visitor %d's events, each once", v)
                    .containsExactlyInAnyOrder("visit-0-" + v, "visit-1-" + v, "visit-2-" + v, "visit-2-" + v + "-known", "visitor-identify-" + v);
        }

        Set<String> inFlight = new HashSet<>();
        PostgresSendLedger ledger = new PostgresSendLedger(db);
        for (String scope : ledger.unconfirmedScopes()) {
            ledger.unconfirmed(scope).forEach(pending -> inFlight.add(pending.key().profileId()));
        }
        log("buyers " + buyers.size() + ", sends in flight at the kill " + inFlight.size() + ", received " + recipients(smtp).size());
        await().atMost(Duration.ofSeconds(30)).until(() -> recipients(smtp).keySet().size() >= buyers.size() - inFlight.size());
        Map<String, Integer> received = recipients(smtp);
        assertThat(received).as("mails per recipient").allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
        assertThat(buyers).as("buyers without their mail: only sends the killed node had claimed").hasSizeLessThanOrEqualTo(
                received.size() + inFlight.size());
        assertThat(received.keySet()).as("only buyers are mailed").isSubsetOf(buyers);
    }

    private final long started = System.nanoTime();

    /**
     * The owner epochs (docs/SCALE-OUT.md, "Owner epochs"): every partition was claimed by the node
     * it was assigned to, and the killed node's partitions were claimed again by their new owners.
     */
    private static void assertPartitionsClaimedAndMovedAtTheKill(TestPostgres.Schema pg) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT count(*), min(epoch), max(epoch) FROM partition_owner")) {
            rs.next();
            assertThat(rs.getInt(1)).as("partitions claimed").isEqualTo(PARTITIONS);
            assertThat(rs.getLong(2)).isGreaterThanOrEqualTo(1);
            assertThat(rs.getLong(3)).as("a partition claimed again").isGreaterThanOrEqualTo(2);
        }
    }

    private void log(String what) {
        System.out.printf("ClusterServeTest +%.1fs %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /** A profile's membership log per segment must alternate enter, exit, enter …, starting with enter. */
    private static void assertAlternates(String profileId, List<MembershipChange> log) {
        Map<String, Boolean> last = new HashMap<>();
        for (MembershipChange c : log) {
            boolean wasIn = last.getOrDefault(c.segment(), false);
            assertThat(c.entered()).as(profileId + " " + c.segment() + " changed twice the same way: " + c).isNotEqualTo(wasIn);
            last.put(c.segment(), c.entered());
        }
    }

    private static SegmentCatalog catalog(PostgresSegmentDefinitionStore definitions) {
        SegmentCatalog catalog = SegmentCatalog.EMPTY;
        SegmentCompiler compiler = new SegmentCompiler();
        for (SegmentDefinition d : definitions.active()) {
            CompileVerdict.Compiled c = (CompileVerdict.Compiled) compiler.compile(d);
            catalog = catalog.with(c.segment()).catalog().orElseThrow();
        }
        return catalog;
    }

    private static Map<String, Integer> applied(PostgresProfileStore profiles) {
        Map<String, Integer> times = new HashMap<>();
        for (String id : profiles.ids("", 10_000)) {
            for (Event e : profiles.history(id)) {
                times.merge(e.messageId(), 1, Integer::sum);
            }
        }
        return times;
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
