package io.tessera.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.event.EventType;
import io.tessera.ingest.RequestVerdict;
import io.tessera.profile.Identity;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.ProfileStore.MergeRecord;
import io.tessera.segment.Backfill;
import io.tessera.segment.HistoryEvaluator;
import io.tessera.segment.ProfileScores;
import io.tessera.segment.SaveVerdict;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import io.tessera.store.postgres.PostgresBackfillLedger;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two running cluster nodes, one partition each, on one broker and one PostgreSQL database: the
 * writes that are not an event's — a segment's backfill and an admin's merge reversal — are made
 * by the owner of the profiles' partition only. A segment saved on node a is backfilled in b's
 * partition by b (the backfill ledger records who completed each partition) and the memberships
 * equal the brute-force recomputation; a reversal asked of the node that does not own the
 * survivor is done by the one that does.
 */
class OwnerWritesClusterTest {
    @TempDir Path dir;

    @Test
    void backfillsAndMergeReversalsAreWrittenByThePartitionsOwner() throws Exception {
        try (TestPostgres.Schema pg = TestPostgres.freshSchema()) {
            Map<String, String> settings = new HashMap<>();
            String run = "owners-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            settings.put("MODE", "cluster");
            settings.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.shared().bootstrapServers());
            settings.put("KAFKA_TOPICS_EVENTS", run + "-events");
            settings.put("KAFKA_TOPICS_SEGMENT_CHANGES", run + "-segment-changes");
            settings.put("KAFKA_TOPICS_SEND_JOBS", run + "-send-jobs");
            settings.put("KAFKA_TOPICS_DEFINITIONS", run + "-definitions");
            settings.put("KAFKA_PARTITIONS", "2");
            settings.put("KAFKA_GROUP", run);
            settings.put("POSTGRES_URL", pg.url());
            settings.put("POSTGRES_USER", pg.user());
            settings.put("POSTGRES_PASSWORD", pg.password());
            settings.put("POSTGRES_POOL_SIZE", "3");
            try (Tessera a = new Tessera(config(dir.resolve("a"), settings, "a")).start();
                 Tessera b = new Tessera(config(dir.resolve("b"), settings, "b")).start()) {
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                        a.engine().ownedPartitions().size() == 1 && b.engine().ownedPartitions().size() == 1);
                int partitionOfA = a.engine().ownedPartitions().iterator().next();
                int partitionOfB = b.engine().ownedPartitions().iterator().next();

                // 30 users with 0-2 orders, and a visitor who browses anonymously, then logs in
                StringBuilder batch = new StringBuilder("{\"batch\":[");
                for (int u = 0; u < 30; u++) {
                    for (int o = 0; o < u % 3; o++) {
                        batch.append(track("u" + u, null, "Order Completed", "o" + u + "-" + o)).append(',');
                    }
                    batch.append(track("u" + u, null, "Product Viewed", "v" + u)).append(',');
                }
                batch.append(track(null, "anon-1", "Product Viewed", "anon-view")).append(']').append('}');
                ingest(a, Optional.empty(), batch.toString());
                await().atMost(Duration.ofSeconds(30)).until(() -> a.profiles().resolve(Identity.anonymousId("anon-1")).isPresent()
                        && a.profiles().count() == 31);
                ingest(b, Optional.of(EventType.IDENTIFY), "{\"userId\":\"u1\",\"anonymousId\":\"anon-1\",\"messageId\":\"login\"}");
                ProfileStore profiles = a.profiles();
                await().atMost(Duration.ofSeconds(30)).until(() -> profiles.count() == 30);

                // the backfill: saved on a, each partition done by its owner, memberships as recomputed
                assertThat(a.segments().registry().save("buyers", "Buyers", "count(\"Order Completed\") >= 1"))
                        .isInstanceOf(SaveVerdict.Saved.class);
                await().atMost(Duration.ofSeconds(60)).until(() -> a.segments().registry().backfill("buyers")
                        .map(p -> p.status() == Backfill.Status.DONE).orElse(false));
                PostgresBackfillLedger ledger = (PostgresBackfillLedger) a.stores().backfillLedger().orElseThrow();
                assertThat(ledger.doneBy("buyers", 1)).isEqualTo(Map.of(partitionOfA, "a", partitionOfB, "b"));
                assertThat(b.segments().registry().backfill("buyers")).get().extracting(Backfill.Progress::done).isEqualTo(30L);
                assertMembershipsEqualBruteForce(a, profiles);

                // the reversal: asked of the node that does not own the survivor, done by the one that does
                String survivor = profiles.resolve(Identity.userId("u1")).orElseThrow();
                MergeRecord merge = profiles.merges(survivor).getFirst();
                int home = ((io.tessera.log.kafka.KafkaEventLog) a.log()).partitionOf("u1");
                Tessera notOwner = home == partitionOfA ? b : a;
                assertThat(notOwner.engine().reverseMergeIfOwner(survivor, merge.id())).as("not the owner's to write").isEmpty();
                assertThat(profiles.separations()).isEmpty();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + notOwner.port() + "/api/v1/profiles/" + survivor + "/merges/" + merge.id() + "/reverse"))
                        .header("Authorization", "Bearer admin").POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).contains("\"reversed\":\"" + merge.id() + "\"");
                assertThat(profiles.separations()).singleElement().satisfies(s -> assertThat(s.mergeId()).isEqualTo(merge.id()));
                assertThat(profiles.resolve(Identity.anonymousId("anon-1"))).contains(merge.from());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertMembershipsEqualBruteForce(a, profiles));
            }
        }
    }

    private static void assertMembershipsEqualBruteForce(Tessera node, ProfileStore profiles) {
        HistoryEvaluator brute = new HistoryEvaluator(ProfileScores.none());
        var catalog = node.segments().engine().catalog();
        for (String id : profiles.ids("", Integer.MAX_VALUE)) {
            Set<String> expected = brute.memberships(catalog, profiles.get(id).orElseThrow(), profiles.history(id), node.clock().instant());
            assertThat(new TreeSet<>(node.segments().memberships().memberships(id).keySet())).as("memberships of %s", id)
                    .isEqualTo(new TreeSet<>(expected));
        }
    }

    private static String track(String userId, String anonymousId, String event, String messageId) {
        return "{\"type\":\"track\"," + (userId != null ? "\"userId\":\"" + userId + "\"," : "")
                + (anonymousId != null ? "\"anonymousId\":\"" + anonymousId + "\"," : "")
                + "\"event\":\"" + event + "\",\"messageId\":\"" + messageId + "\"}";
    }

    private static void ingest(Tessera node, Optional<EventType> call, String body) {
        RequestVerdict v = node.ingestor().parse(call, body.getBytes(StandardCharsets.UTF_8), "test");
        assertThat(v).isInstanceOf(RequestVerdict.Parsed.class);
        node.ingestor().ingest((RequestVerdict.Parsed) v, "test").join();
    }

    private static TesseraConfig config(Path dataDir, Map<String, String> shared, String node) {
        Map<String, String> settings = new HashMap<>(shared);
        settings.put("CLUSTER_NODE", node);
        return new TesseraConfig("127.0.0.1", 0, dataDir, List.of("write-key"), Optional.of("admin"),
                TesseraConfig.Ingest.defaults(), settings);
    }
}
