package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.store.sqlite.SqliteCampaignRuns;
import io.tessera.store.sqlite.SqliteSendLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A node that stopped mid-campaign finishes it when it starts again: the open run is resumed, the
 * ledger row left CLAIMED by the dead process is released and sent, the recipient already
 * confirmed is not mailed again, and everyone else is mailed exactly once.
 */
class CampaignResumeTest {

    @TempDir
    Path dir;

    @Test
    void restartResumesTheOpenRunWithNoDuplicateAndNoGap() throws Exception {
        Path data = dir.resolve("data");
        List<String> members = new ArrayList<>();
        try (RunningTessera t = new RunningTessera(data)) {
            StringBuilder batch = new StringBuilder("{\"batch\": [");
            for (int i = 0; i < 6; i++) {
                batch.append(i == 0 ? "" : ",").append("""
                        {"type": "identify", "userId": "u%d", "traits": {"email": "p%d@example.com", "firstName": "P%d"}, "messageId": "i%d"}"""
                        .formatted(i, i, i, i));
            }
            assertThat(t.post("/v1/batch", batch.append("]}").toString()).statusCode()).isEqualTo(200);
            t.awaitProfiles();
            assertThat(t.admin("PUT", "/api/v1/segments/all", "{\"condition\": \"has(traits.email)\"}").statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    ((Number) t.getJson("/api/v1/segments/all/count").get("count")).longValue() == 6);
            RunningTessera.JSON.readTree(t.get("/api/v1/segments/all/members?limit=10").body()).path("members")
                    .forEach(m -> members.add(m.path("profileId").asString()));
            assertThat(t.admin("PUT", "/api/v1/templates/hello", CampaignEndToEndTest.TEMPLATE).statusCode()).isEqualTo(200);
            assertThat(t.admin("PUT", "/api/v1/campaigns/spring", """
                    {"audience": {"segment": "all"}, "template": {"key": "hello"}, "sender": {"address": "news@shop.example"}}""")
                    .statusCode()).isEqualTo(200);
        }
        // What a process killed mid-campaign leaves behind: the run open, one recipient confirmed, one claimed.
        Path db = data.resolve("tessera.db");
        try (SqliteCampaignRuns runs = new SqliteCampaignRuns(db); SqliteSendLedger ledger = new SqliteSendLedger(db)) {
            runs.open("spring", "spring", Instant.now().minusSeconds(60));
            ledger.claim(new SendKey("spring", members.get(0)), "done@x", "A", Instant.now());
            ledger.confirm(new SendKey("spring", members.get(0)), SendLedger.Stage.DELIVERED, "250 ok", Instant.now());
            ledger.claim(new SendKey("spring", members.get(1)), "claimed@x", "A", Instant.now());
        }
        try (RunningTessera t = new RunningTessera(data)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    "done".equals(CampaignEndToEndTest.path(t.getJson("/api/v1/campaigns/spring"), "runs", "spring", "state")));
            JsonNode box = RunningTessera.JSON.readTree(t.get("/api/v1/outbox?campaign=spring&limit=100").body());
            List<String> to = new ArrayList<>();
            box.path("messages").forEach(m -> to.add(m.path("to").asString()));
            assertThat(to).hasSize(5).doesNotHaveDuplicates();
            JsonNode stats = RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/spring/stats").body());
            assertThat(stats.path("stages").path("DELIVERED").asLong()).isEqualTo(6);
        }
    }
}
