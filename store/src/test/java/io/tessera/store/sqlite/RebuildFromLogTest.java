package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventLog;
import io.tessera.event.EventLog.KeyedEvent;
import io.tessera.log.sqlite.SqliteEventLog;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileRebuild;
import io.tessera.profile.ProfileStore;
import io.tessera.testkit.EventGenerator;
import io.tessera.testkit.MutableClock;
import io.tessera.testkit.SeedOnFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 of DESIGN.md: replaying the log rebuilds the same profiles. A seeded history of a
 * few thousand events (anonymous → known, second devices, aliases, late identifies, shared emails,
 * redelivered messageIds) goes through the real log into a live engine that is restarted at random
 * points; a rebuild into an empty store must then give exactly the same state.
 */
class RebuildFromLogTest {
    @RegisterExtension
    final SeedOnFailure seeds = new SeedOnFailure();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    @Test
    void rebuildFromLogEqualsLiveProfiles() throws Exception {
        Random rnd = new Random(seeds.seed());
        List<Event> events = new EventGenerator(seeds.seed()).withDuplicates(0.02).histories(200, 14);
        try (EventLog log = new SqliteEventLog(dir.resolve("events.db"));
                ProfileStore live = new SqliteProfileStore(dir.resolve("live.db"));
                ProfileStore rebuilt = new SqliteProfileStore(dir.resolve("rebuilt.db"))) {
            runLiveWithRestarts(log, live, events, rnd);

            ProfileRebuild.Result result = new ProfileRebuild(log, rebuilt, clock).run(Duration.ofMinutes(2));

            assertThat(result.profiles()).isEqualTo(live.count());
            assertThat(snapshot(rebuilt)).isEqualTo(snapshot(live));
            assertNoProfileCarriesTwoUserIds(live);
            for (int u = 0; u < 200; u++) {
                assertThat(live.resolve(Identity.userId(EventGenerator.userId(u)))).isPresent();
            }
        }
    }

    private void runLiveWithRestarts(EventLog log, ProfileStore live, List<Event> events, Random rnd) throws Exception {
        ProfileEngine engine = new ProfileEngine(live, clock);
        EventLog.Subscription sub = log.subscribe(engine);
        for (int from = 0; from < events.size(); from += 100) {
            List<KeyedEvent> chunk = events.subList(from, Math.min(events.size(), from + 100)).stream()
                    .map(e -> new KeyedEvent(e.userId().or(e::anonymousId).orElseThrow(), e)).toList();
            log.append(chunk).join();
            if (rnd.nextInt(6) == 0) {
                sub.close();
                engine = new ProfileEngine(live, clock, new ProfileEngine.Options(false, 1 + rnd.nextInt(200), 1000));
                sub = log.subscribe(engine);
            }
        }
        assertThat(engine.awaitApplied(0, log.size() - 1, Duration.ofMinutes(2))).isTrue();
        sub.close();
    }

    private static Map<String, Object> snapshot(ProfileStore store) {
        Map<String, Object> all = new LinkedHashMap<>();
        String after = "";
        for (List<String> page = store.ids(after, 500); !page.isEmpty(); page = store.ids(after, 500)) {
            for (String id : page) {
                Profile p = store.get(id).orElseThrow();
                all.put(id, List.of(p, store.history(id), store.merges(id), links(store, p)));
            }
            after = page.get(page.size() - 1);
        }
        all.put("offset", store.resumeAfter(0));
        return all;
    }

    private static List<String> links(ProfileStore store, Profile p) {
        List<String> out = new ArrayList<>();
        p.identities().forEach((kind, values) -> values.forEach(v ->
                out.add(kind + ":" + v + "->" + store.resolve(new Identity(kind, v)).orElse("?"))));
        out.sort(null);
        return out;
    }

    private static void assertNoProfileCarriesTwoUserIds(ProfileStore store) {
        Set<String> seen = new HashSet<>();
        for (String id : store.ids("", Integer.MAX_VALUE)) {
            List<String> userIds = store.get(id).orElseThrow().identities().getOrDefault(IdentityKind.USER_ID, List.of());
            assertThat(userIds).as("userIds of %s", id).hasSizeLessThanOrEqualTo(1);
            assertThat(seen.addAll(userIds)).isTrue();
        }
    }
}
