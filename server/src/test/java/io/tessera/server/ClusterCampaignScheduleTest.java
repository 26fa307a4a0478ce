package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign schedule in a cluster is not tied to the node it was started on: the run is kept open
 * in PostgreSQL and fired by whichever node owns its partition of the send-jobs topic when it comes
 * due. Here the node that scheduled it leaves before the time; the other fires it, once, and every
 * member of the audience gets one message (in the shared outbox), none before the scheduled time.
 */
class ClusterCampaignScheduleTest {
    private static final int PEOPLE = 12;

    @TempDir Path dir;

    @Test
    void aScheduledRunFiresOnTheSurvivorWhenTheNodeThatStartedItIsGone() throws Exception {
        try (TestPostgres.Schema pg = TestPostgres.freshSchema()) {
            String run = "schedule-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            Map<String, String> cluster = new LinkedHashMap<>();
            cluster.put("mode", "cluster");
            cluster.put("kafka.bootstrap-servers", KafkaBroker.shared().bootstrapServers());
            cluster.put("kafka.topics.events", run + "-events");
            cluster.put("kafka.topics.segment-changes", run + "-segment-changes");
            cluster.put("kafka.topics.send-jobs", run + "-send-jobs");
            cluster.put("kafka.topics.definitions", run + "-definitions");
            cluster.put("kafka.partitions", "2");
            cluster.put("kafka.group", run);
            cluster.put("postgres.url", pg.url());
            cluster.put("postgres.user", pg.user());
            cluster.put("postgres.password", pg.password());
            cluster.put("postgres.pool-size", "3");
            try (RunningTessera survivor = new RunningTessera(dir.resolve("b"), cluster)) {
                Instant due;
                try (RunningTessera starter = new RunningTessera(dir.resolve("a"), cluster)) {
                    assertThat(starter.admin("PUT", "/api/v1/templates/hello", """
                            {"subject": "Hello {{ profile.firstName | default: 'there' }}", "html": "<html><body><p>Hello</p></body></html>"}""")
                            .statusCode()).isEqualTo(200);
                    assertThat(starter.admin("PUT", "/api/v1/segments/signed_up", "{\"condition\": \"count(\\\"Signed Up\\\") > 0\"}")
                            .statusCode()).isEqualTo(200);
                    List<Map<String, Object>> batch = new ArrayList<>();
                    for (int i = 0; i < PEOPLE; i++) {
                        batch.add(Map.of("type", "identify", "messageId", "id-" + i, "userId", "u" + i,
                                "traits", Map.of("email", "u" + i + "@example.com", "firstName", "U" + i)));
                        batch.add(Map.of("type", "track", "messageId", "su-" + i, "userId", "u" + i, "event", "Signed Up"));
                    }
                    assertThat(starter.post("/v1/batch", Map.of("batch", batch)).statusCode()).isEqualTo(200);
                    await().atMost(Duration.ofSeconds(60)).until(() -> count(survivor, "/api/v1/segments/signed_up/count") == PEOPLE);

                    due = Instant.now().plusSeconds(20);
                    var put = starter.admin("PUT", "/api/v1/campaigns/welcome", """
                            {"audience": {"segment": "signed_up"}, "template": {"key": "hello"}, "sender": {"address": "shop@shop.example"},
                             "schedule": {"type": "at", "at": "%s"}}""".formatted(due));
                    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
                    var start = starter.admin("POST", "/api/v1/campaigns/welcome/start", null);
                    assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
                }
                assertThat(Instant.now()).as("the starter left before the run was due").isBefore(due);
                assertThat(count(survivor, "/api/v1/outbox?campaign=welcome")).as("nothing sent before the time").isZero();

                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> count(survivor, "/api/v1/outbox?campaign=welcome") >= PEOPLE);
                Map<String, Object> outbox = survivor.getJson("/api/v1/outbox?campaign=welcome&limit=100");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> messages = (List<Map<String, Object>>) outbox.get("messages");
                assertThat(messages).extracting(m -> (String) m.get("to")).as("one message each")
                        .doesNotHaveDuplicates().hasSize(PEOPLE);
                assertThat(messages).extracting(m -> Instant.parse((String) m.get("at")))
                        .as("none before the scheduled time").allSatisfy(at -> assertThat(at).isAfterOrEqualTo(due));
            }
        }
    }

    private static long count(RunningTessera node, String path) {
        var r = node.get(path);
        return r.statusCode() == 200 ? RunningTessera.JSON.readTree(r.body()).path("count").asLong() : -1;
    }
}
