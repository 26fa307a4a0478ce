package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.event.Event;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.LinkConflictException;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore.ProfileCommit;
import io.tessera.profile.ProfileStore.Relay;
import io.tessera.profile.RelayRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link PostgresProfileStore} adds for cross-partition merges: identity links taken only from
 * profiles the commit writes, the relay outbox, relay records applied once, and the home key of an
 * identity's profile for ingestion.
 */
class PostgresRelaysTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @AfterEach
    void dropSchema() {
        db.close();
    }

    private static Profile profile(String id, Identity... identities) {
        Map<IdentityKind, List<String>> ids = new java.util.EnumMap<>(IdentityKind.class);
        for (Identity i : identities) {
            ids.computeIfAbsent(i.kind(), k -> new java.util.ArrayList<>()).add(i.value());
        }
        return new Profile(id, ids, Map.of(), Map.of(), List.of(), 0);
    }

    private static ProfileCommit commit(Profile p, Map<Identity, String> links, List<String> deletes, List<Relay> relays, Set<String> applied) {
        return new ProfileCommit(List.of(p), deletes, links, List.of(), List.of(), Map.of(), Map.of(), relays, applied);
    }

    @Test
    void aCommitThatWouldTakeAnIdentityFromAProfileItDoesNotWriteIsRejectedWhole() {
        PostgresProfileStore store = new PostgresProfileStore(db.get());
        Identity a = Identity.anonymousId("a1");
        store.commit(commit(profile("p_a", a), Map.of(a, "p_a"), List.of(), List.of(), Set.of()));

        // another partition saw a1 as new at the same time and links it to its own profile
        Identity u = Identity.userId("u1");
        assertThatThrownBy(() -> store.commit(commit(profile("p_u", u, a), Map.of(u, "p_u", a, "p_u"), List.of(), List.of(), Set.of())))
                .isInstanceOf(LinkConflictException.class);
        assertThat(store.resolve(a)).contains("p_a");
        assertThat(store.resolve(u)).isEmpty();
        assertThat(store.get("p_u")).isEmpty();

        // moving it away from a profile the commit deletes (a merge) is allowed
        store.commit(commit(profile("p_u", u, a), Map.of(u, "p_u", a, "p_u"), List.of("p_a"), List.of(), Set.of()));
        assertThat(store.resolve(a)).contains("p_u");
        assertThat(store.homeKeyOf(a)).contains("u1");
        assertThat(store.homeKeyOf(Identity.anonymousId("nobody"))).isEmpty();
    }

    @Test
    void relayRecordsWaitInTheOutboxUntilSentAndAreAppliedOnce() {
        PostgresProfileStore store = new PostgresProfileStore(db.get());
        Event e = Event.track("m1", "u1", "Viewed", Map.of("value", 1), T0);
        RelayRecord.Forward forward = new RelayRecord.Forward(e, 1);
        Relay relay = new Relay(forward.id(), 3, "u1", forward.toEvent("u1"));
        Identity u = Identity.userId("u1");
        store.commit(commit(profile("p_1", u), Map.of(u, "p_1"), List.of(), List.of(relay), Set.of()));
        store.commit(commit(profile("p_1", u), Map.of(), List.of(), List.of(relay), Set.of())); // decided again after a crash

        List<Relay> pending = store.pendingRelays(3);
        assertThat(pending).extracting(Relay::messageId).containsExactly(forward.id());
        assertThat(RelayRecord.of(pending.get(0).record())).isEqualTo(forward);
        assertThat(store.pendingRelays(2)).isEmpty();
        store.relaysSent(List.of(forward.id()));
        assertThat(store.pendingRelays(3)).isEmpty();

        String key = "5:" + forward.id();
        assertThat(store.relayApplied(key)).isFalse();
        store.commit(commit(profile("p_1", u), Map.of(), List.of(), List.of(), Set.of(key)));
        assertThat(store.relayApplied(key)).isTrue();
        assertThatThrownBy(() -> store.commit(commit(profile("p_1", u), Map.of(), List.of(), List.of(), Set.of(key))))
                .as("a relay record applied twice").isInstanceOf(RuntimeException.class);
    }
}
