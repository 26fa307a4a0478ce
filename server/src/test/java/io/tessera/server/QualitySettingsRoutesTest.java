package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Normalization settings and the category taxonomy through the API of a real Tessera on real
 * SQLite: changed per field, validated whole (a refused request changes nothing), and still in
 * force after a restart.
 */
class QualitySettingsRoutesTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> admin(RunningTessera t, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.base() + path))
                .header("Authorization", "Bearer " + RunningTessera.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return t.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void phoneRegionSkuRulesAndUnplannedModeChangeThroughTheApiAndSurviveARestart() throws Exception {
        try (RunningTessera t = new RunningTessera(dir)) {
            HttpResponse<String> r = admin(t, "PUT", "/api/v1/quality/settings", """
                    {"phoneRegion": "AU", "unplanned": "block",
                     "sku": {"case": "upper", "separator": "-", "prefixes": {"OLD-": "NEW-"}}}""");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"phoneRegion\":\"AU\"").contains("\"unplanned\":\"block\"");
        }
        try (RunningTessera t = new RunningTessera(dir)) {
            assertThat(t.getJson("/api/v1/quality/settings")).containsEntry("phoneRegion", "AU").containsEntry("unplanned", "block");
            assertThat(t.post("/v1/track", "{\"userId\":\"u1\",\"event\":\"Unplanned Thing\"}").statusCode()).isBetween(200, 499);
            assertThat(t.getJson("/api/v1/quarantine?code=unplanned_event").get("records").toString()).contains("Unplanned Thing");

            admin(t, "PUT", "/api/v1/quality/settings", "{\"unplanned\": \"allow\"}");
            t.post("/v1/identify", "{\"userId\":\"u2\",\"traits\":{\"phone\":\"0412 345 678\"}}");
            t.post("/v1/track", "{\"userId\":\"u2\",\"event\":\"Product Viewed\",\"properties\":{\"sku\":\"old_12 34\"}}");
            t.awaitProfiles();
            Map<String, Object> p = t.getJson("/api/v1/profiles/u2");
            assertThat(p.get("traits").toString()).contains("phone=+61412345678");
            assertThat(p.get("timeline").toString()).contains("sku=NEW-12-34");
        }
    }

    @Test
    void fieldRulesAreConfigurablePerField() throws Exception {
        try (RunningTessera t = new RunningTessera(dir)) {
            HttpResponse<String> r = admin(t, "PUT", "/api/v1/quality/settings",
                    "{\"fields\": [{\"path\": \"traits.phone\", \"check\": \"phone\", \"onInvalid\": \"quarantine\"}]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            t.post("/v1/identify", "{\"userId\":\"u3\",\"traits\":{\"phone\":\"12\",\"email\":\"not an email\"}}");
            assertThat(t.getJson("/api/v1/quarantine?code=invalid_phone").get("records").toString()).contains("u3");
            assertThat(t.getJson("/api/v1/quarantine?code=invalid_email").get("records").toString()).doesNotContain("u3");
        }
    }

    @Test
    void invalidSettingsAre400NamingEachProblemAndChangeNothing() throws Exception {
        try (RunningTessera t = new RunningTessera(dir)) {
            String before = admin(t, "GET", "/api/v1/quality/settings", null).body();
            HttpResponse<String> bad = admin(t, "PUT", "/api/v1/quality/settings", """
                    {"phoneRegion": "XX", "unplanned": "drop-properties", "colour": "red",
                     "fields": [{"path": "traits.phone", "check": "telepathy"}, {"path": "email", "check": "email"}]}""");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("invalid_settings").contains("/phoneRegion").contains("XX").contains("/unplanned")
                    .contains("/colour").contains("/fields/0/check").contains("telepathy").contains("/fields/1/path");
            assertThat(admin(t, "PUT", "/api/v1/quality/settings", "not json").statusCode()).isEqualTo(400);
            assertThat(admin(t, "GET", "/api/v1/quality/settings", null).body()).isEqualTo(before);
        }
        try (RunningTessera t = new RunningTessera(dir)) {
            assertThat(t.getJson("/api/v1/quality/settings")).containsEntry("phoneRegion", "US");
        }
    }

    @Test
    void taxonomySurvivesARestartAndUnmappedLabelsAreReported() throws Exception {
        try (RunningTessera t = new RunningTessera(dir)) {
            assertThat(admin(t, "PUT", "/api/v1/taxonomy", "raw_label,canonical\nMens Shoes,Men > Footwear\n").statusCode()).isEqualTo(200);
        }
        try (RunningTessera t = new RunningTessera(dir)) {
            assertThat(t.getJson("/api/v1/taxonomy")).containsEntry("labels", 2);
            HttpResponse<String> bad = admin(t, "PUT", "/api/v1/taxonomy", "raw_label,canonical\nhats\nMens Shoes,Shoes\nmens-shoes,Men > Footwear\n");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("line 2").contains("line 4");
            assertThat(t.getJson("/api/v1/taxonomy")).containsEntry("labels", 2);
            t.post("/v1/track", "{\"userId\":\"u9\",\"event\":\"Product Viewed\",\"properties\":{\"category\":\"mens-shoes\","
                    + "\"products\":[{\"category\":\"Garden Gnomes\"}]}}");
            t.post("/v1/track", "{\"userId\":\"u9\",\"event\":\"Product Viewed\",\"properties\":{\"category\":\"garden gnomes\"}}");
            t.awaitProfiles();
            assertThat(t.getJson("/api/v1/profiles/u9").get("timeline").toString()).contains("category=Men > Footwear");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> t.getJson("/api/v1/taxonomy").get("unmapped").toString().contains("garden gnomes"));
            @SuppressWarnings("unchecked") List<Map<String, Object>> unmapped = (List<Map<String, Object>>) t.getJson("/api/v1/taxonomy").get("unmapped");
            assertThat(unmapped).extracting(m -> m.get("label")).containsExactlyInAnyOrder("Garden Gnomes", "garden gnomes");
            assertThat(t.getJson("/api/v1/dictionary").toString()).doesNotContain("$category");

            assertThat(admin(t, "PUT", "/api/v1/taxonomy", "raw_label,canonical\nMens Shoes,Men > Footwear\nGarden Gnomes,Garden\n").statusCode()).isEqualTo(200);
            assertThat(t.getJson("/api/v1/taxonomy").get("unmapped").toString()).isEqualTo("[]");
        }
    }
}
