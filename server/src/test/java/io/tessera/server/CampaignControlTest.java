package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Pause, resume and cancel through the API of a real server sending to GreenMail (a real SMTP
 * server; we count what it received): a paused campaign stops claiming, stays paused across a
 * restart and resumes with no duplicate and no gap; a cancelled one never sends again and its stats
 * count who was not sent; transitions that make no sense are refused with a reason code.
 */
class CampaignControlTest {

    static final int AUDIENCE = 30;

    @RegisterExtension
    GreenMailExtension relay = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    RunningTessera serve() {
        return new RunningTessera(dir.resolve("data"), Map.of("smtp.host", "127.0.0.1",
                "smtp.port", String.valueOf(relay.getSmtp().getPort()), "smtp.starttls", "false"));
    }

    /** Thirty recipients, a campaign throttled to 10 messages/s so there is time to pause it mid-way. */
    void prepare(RunningTessera t) {
        StringBuilder batch = new StringBuilder("{\"batch\": [");
        for (int i = 0; i < AUDIENCE; i++) {
            batch.append(i == 0 ? "" : ",").append("""
                    {"type": "identify", "userId": "u%d", "traits": {"email": "p%d@example.com", "firstName": "P%d"}, "messageId": "i%d"}"""
                    .formatted(i, i, i, i));
        }
        assertThat(t.post("/v1/batch", batch.append("]}").toString()).statusCode()).isEqualTo(200);
        t.awaitProfiles();
        assertThat(t.admin("PUT", "/api/v1/segments/all", "{\"condition\": \"has(traits.email)\"}").statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                ((Number) t.getJson("/api/v1/segments/all/count").get("count")).longValue() == AUDIENCE);
        assertThat(t.admin("PUT", "/api/v1/templates/hello", CampaignEndToEndTest.TEMPLATE).statusCode()).isEqualTo(200);
        assertThat(t.admin("PUT", "/api/v1/campaigns/spring", """
                {"audience": {"segment": "all"}, "template": {"key": "hello"}, "sender": {"address": "news@shop.example"},
                 "throttle": {"perSecond": 10}}""").statusCode()).isEqualTo(200);
    }

    List<String> received() throws MessagingException {
        List<String> to = new ArrayList<>();
        for (MimeMessage m : relay.getReceivedMessages()) {
            to.add(m.getRecipients(Message.RecipientType.TO)[0].toString());
        }
        return to;
    }

    static Object runState(RunningTessera t) {
        return CampaignEndToEndTest.path(t.getJson("/api/v1/campaigns/spring"), "runs", "spring", "state");
    }

    static JsonNode post(RunningTessera t, String path, int status) {
        HttpResponse<String> r = t.admin("POST", path, "");
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(status);
        return RunningTessera.JSON.readTree(r.body());
    }

    static JsonNode stats(RunningTessera t) {
        return RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/spring/stats").body());
    }

    @Test
    void pausedCampaignClaimsNoOneStaysPausedAcrossARestartAndResumesWithNoDuplicateAndNoGap() throws Exception {
        int sentBeforePause;
        try (RunningTessera t = serve()) {
            prepare(t);
            post(t, "/api/v1/campaigns/spring/start", 202);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> relay.getReceivedMessages().length >= 5);
            JsonNode paused = post(t, "/api/v1/campaigns/spring/pause", 200);
            assertThat(paused.path("state").asString()).isEqualTo("paused");
            assertThat(paused.path("changed").asBoolean()).isTrue();
            assertThat(post(t, "/api/v1/campaigns/spring/pause", 200).path("changed").asBoolean()).as("repeating is harmless").isFalse();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "paused".equals(runState(t)));

            sentBeforePause = received().size();
            JsonNode stages = stats(t).path("stages");
            assertThat(sentBeforePause).as("stopped mid-way").isLessThan(AUDIENCE);
            assertThat(stages.path("DELIVERED").asLong()).as("every claimed message finished; nobody else was claimed")
                    .isEqualTo(sentBeforePause);
            assertThat(stages.path("CLAIMED").asLong() + stages.path("COMMITTING").asLong()).isZero();
            assertThat(post(t, "/api/v1/campaigns/spring/start", 409).path("error").path("code").asString())
                    .isEqualTo("campaign_paused");
        }
        try (RunningTessera t = serve()) {
            JsonNode campaign = RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/spring").body());
            assertThat(campaign.path("state").asString()).as("survives the restart").isEqualTo("paused");
            assertThat(runState(t)).isEqualTo("paused");
            assertThat(received()).as("the restart sent nothing").hasSize(sentBeforePause);

            assertThat(post(t, "/api/v1/campaigns/spring/resume", 200).path("state").asString()).isEqualTo("active");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "done".equals(runState(t)));
            assertThat(received()).as("everyone exactly once").hasSize(AUDIENCE).doesNotHaveDuplicates();
            assertThat(stats(t).path("stages").path("DELIVERED").asLong()).isEqualTo(AUDIENCE);

            assertThat(RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/spring").body()).path("state").asString())
                    .isEqualTo("finished");
            for (String action : List.of("resume", "pause", "cancel")) {
                assertThat(post(t, "/api/v1/campaigns/spring/" + action, 409).path("error").path("code").asString())
                        .as(action).isEqualTo("campaign_finished");
            }
        }
    }

    @Test
    void cancelledCampaignNeverSendsAgainAndItsStatsCountWhoWasNotSent() throws Exception {
        int sent;
        try (RunningTessera t = serve()) {
            prepare(t);
            post(t, "/api/v1/campaigns/spring/start", 202);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> relay.getReceivedMessages().length >= 5);
            assertThat(post(t, "/api/v1/campaigns/spring/cancel", 200).path("state").asString()).isEqualTo("cancelled");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "cancelled".equals(runState(t)));

            sent = received().size();
            JsonNode stats = stats(t);
            assertThat(stats.path("state").asString()).isEqualTo("cancelled");
            assertThat(stats.path("stages").path("DELIVERED").asLong()).isEqualTo(sent);
            assertThat(stats.path("notSent").asLong()).isEqualTo(AUDIENCE - sent).isPositive();

            for (String action : List.of("resume", "pause", "start")) {
                assertThat(post(t, "/api/v1/campaigns/spring/" + action, 409).path("error").path("code").asString())
                        .as(action).isEqualTo("campaign_cancelled");
            }
            assertThat(post(t, "/api/v1/campaigns/spring/cancel", 200).path("changed").asBoolean()).isFalse();
            assertThat(post(t, "/api/v1/campaigns/nope/pause", 404).path("error").path("code").asString()).isEqualTo("not_found");
        }
        try (RunningTessera t = serve()) {
            assertThat(stats(t).path("notSent").asLong()).isEqualTo(AUDIENCE - sent);
            assertThat(post(t, "/api/v1/campaigns/spring/start", 409).path("error").path("code").asString())
                    .isEqualTo("campaign_cancelled");
            assertThat(received()).as("nothing after the cancel, restart included").hasSize(sent).doesNotHaveDuplicates();
        }
    }

    @Test
    void pausedTriggeredCampaignQueuesNothingAndCancellingCountsWhatWasQueued() throws Exception {
        try (RunningTessera t = serve()) {
            assertThat(t.post("/v1/batch", """
                    {"batch": [{"type": "identify", "userId": "u_dee", "traits": {"email": "dee@example.com"}, "messageId": "d1"},
                               {"type": "identify", "userId": "u_eve", "traits": {"email": "eve@example.com"}, "messageId": "d2"}]}""")
                    .statusCode()).isEqualTo(200);
            t.awaitProfiles();
            assertThat(t.admin("PUT", "/api/v1/segments/browsers", """
                    {"condition": "count(\\"Product Viewed\\", duration(\\"48h\\")) > 0"}""").statusCode()).isEqualTo(200);
            assertThat(t.admin("PUT", "/api/v1/templates/hello", CampaignEndToEndTest.TEMPLATE).statusCode()).isEqualTo(200);
            assertThat(t.admin("PUT", "/api/v1/campaigns/abandon", """
                    {"audience": {"segment": "browsers"}, "template": {"key": "hello"}, "sender": {"address": "news@shop.example"},
                     "trigger": {"segment": "browsers", "delay": "PT1H"}}""").statusCode()).isEqualTo(200);
            assertThat(t.post("/v1/track", """
                    {"userId": "u_dee", "event": "Product Viewed", "messageId": "v1"}""").statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    ((Number) t.getJson("/api/v1/campaigns/abandon").get("queued")).longValue() == 1);

            assertThat(post(t, "/api/v1/campaigns/abandon/pause", 200).path("state").asString()).isEqualTo("paused");
            assertThat(t.post("/v1/track", """
                    {"userId": "u_eve", "event": "Product Viewed", "messageId": "v2"}""").statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    ((Number) t.getJson("/api/v1/segments/browsers/count").get("count")).longValue() == 2);
            assertThat(((Number) t.getJson("/api/v1/campaigns/abandon").get("queued")).longValue())
                    .as("entering while paused queues nothing").isEqualTo(1);

            assertThat(post(t, "/api/v1/campaigns/abandon/cancel", 200).path("state").asString()).isEqualTo("cancelled");
            JsonNode stats = RunningTessera.JSON.readTree(t.get("/api/v1/campaigns/abandon/stats").body());
            assertThat(stats.path("state").asString()).isEqualTo("cancelled");
            assertThat(stats.path("notSent").asLong()).as("the queued entry").isEqualTo(1);
            assertThat(post(t, "/api/v1/campaigns/abandon/resume", 409).path("error").path("code").asString())
                    .isEqualTo("campaign_cancelled");
            assertThat(relay.getReceivedMessages()).isEmpty();
        }
    }
}
