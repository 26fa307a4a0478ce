package io.tessera.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteSegmentDefinitionStore;
import io.tessera.store.sqlite.SqliteWindowTimerStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md invariant 4: over random histories (late events, identify calls, the clock jumping past
 * windows, restarts that drop every in-memory window), the incremental memberships always equal a
 * brute-force re-evaluation over the stored history. Real SQLite stores; seeded, seed printed.
 */
class SegmentMembershipPropertyTest {
    private static final List<String> NAMES = List.of("Product Viewed", "Order Completed", "Cart Viewed");
    private static final Map<String, String> SEGMENTS = Map.of(
            "browse_abandoners", "count(\"Product Viewed\", duration(\"48h\")) > 0 && count(\"Order Completed\", duration(\"48h\")) == 0",
            "shoe_fans", "count(\"Product Viewed\", duration(\"24h\"), {\"category\": \"shoes\"}) >= 2",
            "big_spenders", "sum(\"Order Completed\", \"revenue\", days(7)) > 100.0",
            "lapsed", "count(\"Order Completed\") > 0 && count(\"Order Completed\", duration(\"72h\")) == 0",
            "loyal_pro", "has(traits.plan) && traits.plan == \"pro\" && sum(\"Order Completed\", \"revenue\") >= 50.0",
            "early_then_recent", "first(\"Cart Viewed\") < last(\"Product Viewed\") && count(\"Cart Viewed\", duration(\"36h\"), {\"category\": \"hats\"}) > 0",
            "vip_abandoners", "in_segment(\"browse_abandoners\") && in_segment(\"loyal_pro\")",
            "not_abandoner", "!in_segment(\"browse_abandoners\") && count(\"Cart Viewed\", duration(\"1h\")) == 0");

    @Test
    void incrementalMembershipEqualsBruteForce(@TempDir Path dir) {
        long seed = Long.getLong("seed", System.nanoTime());
        for (int run = 0; run < 4; run++) {
            long runSeed = seed + run;
            try {
                check(dir.resolve("run" + run + ".db"), new Random(runSeed));
            } catch (AssertionError e) {
                throw new AssertionError("failed with -Dseed=" + runSeed + " (run " + run + "): " + e.getMessage(), e);
            }
        }
        System.out.println("SegmentMembershipPropertyTest seed " + seed);
    }

    private void check(Path db, Random random) {
        SteppingClock clock = new SteppingClock(Instant.parse("2026-11-01T00:00:00Z"));
        HistoryProfiles profiles = new HistoryProfiles();
        SqliteMembershipStore memberships = new SqliteMembershipStore(db);
        SqliteWindowTimerStore timers = new SqliteWindowTimerStore(db);
        SqliteSegmentDefinitionStore definitions = new SqliteSegmentDefinitionStore(db);
        SegmentEngine engine = newEngine(profiles, memberships, timers, clock);
        SegmentRegistry registry = new SegmentRegistry(definitions, memberships, engine, profiles, clock, Runnable::run);
        List<String> keys = new ArrayList<>(new TreeSet<>(SEGMENTS.keySet()));
        keys.remove("vip_abandoners");
        keys.remove("not_abandoner");
        keys.add("vip_abandoners");
        keys.add("not_abandoner");
        int saved = 0;
        int messages = 0;
        for (int step = 0; step < 120; step++) {
            int action = random.nextInt(100);
            if (saved < keys.size() && (step % 12 == 0)) {
                String key = keys.get(saved++);
                assertThat(registry.save(key, key, SEGMENTS.get(key))).isInstanceOf(SaveVerdict.Saved.class);
            } else if (action < 60) {
                List<Event> batch = new ArrayList<>();
                int n = 1 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    batch.add(randomEvent(random, clock.instant(), "m" + (messages++)));
                }
                List<HistoryProfiles.Change> changes = profiles.applyBatch(batch);
                for (HistoryProfiles.Change c : changes) {
                    engine.onProfileChange(c.before(), c.after(), c.cause(), List.of());
                }
                if (random.nextInt(10) == 0) {
                    // A crash after the profile commit, before the segment writes of the batch: the
                    // restarted engine recovers from the profile store.
                    engine = newEngine(profiles, memberships, timers, clock);
                    registry = new SegmentRegistry(definitions, memberships, engine, profiles, clock, Runnable::run);
                    registry.start();
                    new MembershipRecovery(profiles, memberships, engine).run();
                } else if (!changes.isEmpty()) {
                    engine.onBatchCommitted(0, changes.get(changes.size() - 1).cause().offset());
                }
            } else if (action < 92) {
                clock.advance(Duration.ofMinutes(random.nextInt(random.nextBoolean() ? 90 : 3000)));
            } else {
                engine = newEngine(profiles, memberships, timers, clock);
                registry = new SegmentRegistry(definitions, memberships, engine, profiles, clock, Runnable::run);
                registry.start();
                MembershipRecovery recovery = new MembershipRecovery(profiles, memberships, engine);
                assertThat(recovery.needed()).as("recovery after a clean stop").isFalse();
            }
            while (engine.fireDueTimers(100) == 100) {
                // drain
            }
            assertAgree(engine.catalog(), profiles, memberships, clock.instant(), step);
        }
        memberships.close();
        timers.close();
        definitions.close();
    }

    private static SegmentEngine newEngine(HistoryProfiles profiles, SqliteMembershipStore m, SqliteWindowTimerStore t, SteppingClock clock) {
        return new SegmentEngine(profiles, m, t, ProfileScores.none(), clock, 8);
    }

    private static void assertAgree(SegmentCatalog catalog, HistoryProfiles profiles, SqliteMembershipStore memberships, Instant now, int step) {
        HistoryEvaluator brute = new HistoryEvaluator(ProfileScores.none());
        for (String id : profiles.ids("", Integer.MAX_VALUE)) {
            Set<String> expected = brute.memberships(catalog, profiles.get(id).orElseThrow(), profiles.history(id), now);
            Set<String> actual = memberships.memberships(id).keySet();
            assertThat(new TreeSet<>(actual)).as("memberships of %s at step %d (%s)", id, step, now)
                    .isEqualTo(new TreeSet<>(expected));
        }
    }

    private static Event randomEvent(Random r, Instant now, String messageId) {
        String user = "u" + r.nextInt(12);
        long minutesAgo = r.nextInt(10) == 0 ? r.nextInt(60 * 24 * 10) : r.nextInt(120);
        Instant at = now.minus(Duration.ofMinutes(minutesAgo)).minusMillis(r.nextInt(1000));
        if (r.nextInt(8) == 0) {
            return new Event(messageId, EventType.IDENTIFY, Optional.of(user), Optional.empty(), "", Map.of(),
                    Map.of("plan", r.nextBoolean() ? "pro" : "free"), Map.of(), Map.of(), Optional.empty(), Optional.empty(),
                    at, now, Optional.empty(), "test");
        }
        Map<String, Object> props = new HashMap<>();
        props.put("category", r.nextBoolean() ? "shoes" : "hats");
        if (r.nextInt(5) > 0) {
            props.put("revenue", r.nextBoolean() ? r.nextInt(80) : (Object) (r.nextInt(8000) / 100.0));
        }
        return Event.track(messageId, user, NAMES.get(r.nextInt(NAMES.size())), props, at);
    }
}
