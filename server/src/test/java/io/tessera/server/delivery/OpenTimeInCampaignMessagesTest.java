package io.tessera.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.RenderErrors;
import io.tessera.content.EmailTemplate;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.MessageRenderer;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import io.tessera.server.content.TemplateDirectory;
import io.tessera.server.opentime.OpenTimeParts;
import io.tessera.store.sqlite.SqliteTemplateStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaign messages of the shipped weekly-picks template carry its live image and the AMP part. */
class OpenTimeInCampaignMessagesTest {
    @TempDir Path dir;

    @Test
    void weeklyPicksMessagesShowTheLiveImageOfTheirRecipientAndCarryTheAmpPart() {
        SqliteTemplateStore store = new SqliteTemplateStore(dir.resolve("tessera.db"));
        for (EmailTemplate t : TemplateDirectory.loadAll(Path.of("../examples/templates"), 0)) {
            store.save(t);
        }
        OpenTimeParts parts = new OpenTimeParts() {
            @Override
            public Map<String, Object> links(String templateKey, String profileId, String messageId) {
                return Map.of("images", Map.of("hero", "https://t.shop.example/o/TOKEN-" + profileId + "-" + messageId + "/img/hero"));
            }

            @Override
            public Optional<String> amp(String templateKey, String profileId, String messageId) {
                return Optional.of("<!doctype html><html ⚡4email>…" + profileId + "</html>");
            }
        };
        ContentMessageRenderer renderer = new ContentMessageRenderer(store, InstantSource.fixed(Instant.parse("2026-11-02T10:00:00Z")),
                new RenderErrors(), parts);
        Profile ann = new Profile("p_ann", Map.of(), Map.of("firstName", new TraitValue("Ann", Instant.EPOCH)), Map.of(), List.of(), 0);

        MessageRenderer.Rendered r = renderer.render(new MessageRenderer.Request(new Campaign.TemplateRef("weekly-picks", Optional.empty()),
                Optional.empty(), ann, Map.of("messageId", "m_1", "recommendations", List.of())));

        assertThat(r).isInstanceOfSatisfying(MessageRenderer.Message.class, m -> {
            assertThat(m.html()).contains("https://t.shop.example/o/TOKEN-p_ann-m_1/img/hero").doesNotContain("i/new-arrivals.jpg");
            assertThat(m.fallbacksUsed()).doesNotContain("live");
            assertThat(m.amp()).contains("<!doctype html><html ⚡4email>…p_ann</html>");
        });
        MessageRenderer.Rendered without = new ContentMessageRenderer(store, InstantSource.fixed(Instant.parse("2026-11-02T10:00:00Z")),
                new RenderErrors()).render(new MessageRenderer.Request(new Campaign.TemplateRef("weekly-picks", Optional.empty()),
                Optional.empty(), ann, Map.of("messageId", "m_1", "recommendations", List.of())));
        assertThat(without).isInstanceOfSatisfying(MessageRenderer.Message.class,
                m -> assertThat(m.html()).as("without open-time the live block falls back").contains("i/new-arrivals.jpg"));
    }
}
