package io.tessera.quality.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileMergeEventsTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static Profile profile(String id, String userId, String anonymousId) {
        Map<IdentityKind, List<String>> ids = new EnumMap<>(IdentityKind.class);
        if (userId != null) {
            ids.put(IdentityKind.USER_ID, List.of(userId));
        }
        if (anonymousId != null) {
            ids.put(IdentityKind.ANONYMOUS_ID, List.of(anonymousId));
        }
        return new Profile(id, ids, Map.of(), Map.of(), List.of(), 0);
    }

    @Test
    void theKnownProfileCarriesItsUserIdAndTheOtherItsAnonymousId() {
        Event e = ProfileMergeEvents.alias(profile("p_a", null, "a1"), profile("p_b", "u1", "a2"), "dp_1", 0.97, T0).orElseThrow();
        assertThat(e.type()).isEqualTo(EventType.ALIAS);
        assertThat(e.userId()).contains("u1");
        assertThat(e.anonymousId()).contains("a1");
        assertThat(e.previousId()).isEmpty();
        assertThat(e.messageId()).isEqualTo("dedupe-dp_1");
        assertThat(e.properties()).containsEntry("score", "0.9700");
    }

    @Test
    void twoAnonymousProfilesAreNamedByAnonymousIdAndPreviousId() {
        Event e = ProfileMergeEvents.alias(profile("p_a", null, "a1"), profile("p_b", null, "a2"), "dp_1", 0.9, T0).orElseThrow();
        assertThat(e.userId()).isEmpty();
        assertThat(e.anonymousId()).contains("a1");
        assertThat(e.previousId()).contains("a2");
    }

    @Test
    void twoKnownProfilesAreNamedByUserIdAndPreviousId() {
        Event e = ProfileMergeEvents.alias(profile("p_a", "u1", null), profile("p_b", "u2", null), "dp_1", 0.9, T0).orElseThrow();
        assertThat(e.userId()).contains("u1");
        assertThat(e.previousId()).contains("u2");
    }

    @Test
    void aProfileWithoutUserIdOrAnonymousIdCannotBeNamed() {
        assertThat(ProfileMergeEvents.alias(profile("p_a", "u1", null), profile("p_b", null, null), "dp_1", 0.9, T0)).isEmpty();
        assertThat(ProfileMergeEvents.alias(profile("p_a", null, null), profile("p_b", null, "a2"), "dp_1", 0.9, T0)).isEmpty();
    }
}
