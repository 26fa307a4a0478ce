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
 * brute-force re-evaluation over the stored history. The writes go behind the engine
 * ({@link MembershipWriter}) on an executor the test holds and releases, and the node is killed at
 * every point of the write path: after the profile commit, between evaluation and the group commit,
 * inside it (after the membership changes, before the timers; before the log position) and with
 * timer-caused changes unwritten; and each of the three transactions fails for a while and is
 * retried in process ({@link MembershipWriter.Retry}) with no restart. The restarted node recovers from the stored profile offsets
 * ({@link MembershipRecovery}) and the durable timers. Real SQLite stores; seeded, seed printed.
 */
class SegmentMembershipPropertyTest {
    /** Attempts the writer makes of each transaction before it gives up (a kill: the stores stay dead). */
    private static final int RETRIES = 3;
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
        SqliteSegmentDefinitionStore definitions = new SqliteSegmentDefinitionStore(db);
        Node node = new Node(db, profiles, definitions, clock, random.nextBoolean() ? 0 : 30);
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
                assertThat(node.registry.save(key, key, SEGMENTS.get(key))).isInstanceOf(SaveVerdict.Saved.class);
            } else if (action < 60) {
                List<Event> batch = new ArrayList<>();
                int n = 1 + random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    batch.add(randomEvent(random, clock.instant(), "m" + (messages++)));
                }
                // Half the batches are written behind: the writer holds them while the engine
                // goes on (timers below read the unwritten changes through its overlay).
                node.writes.hold(random.nextBoolean());
                List<HistoryProfiles.Change> changes = profiles.applyBatch(batch);
                for (HistoryProfiles.Change c : changes) {
                    node.engine.onProfileChange(c.before(), c.after(), c.cause(), List.of());
                }
                int crash = random.nextInt(20);
                if (crash < 2) {
                    // A crash after the profile commit, before the segment writes of the batch: the
                    // restarted engine recovers from the profile store.
                    node = node.restart();
                } else {
                    if (!changes.isEmpty()) {
                        node.engine.onBatchCommitted(0, changes.get(changes.size() - 1).cause().offset());
                    }
                    if (crash < 4 && node.writes.holding()) {
                        // Killed between evaluation and the group commit: nothing of the batch is durable.
                        node = node.restart();
                    } else if (crash < 5) {
                        // Killed inside the group commit, after the membership changes, before the timers
                        // (the timer store fails every write, so the writer's retries run out).
                        node.timers.dead = true;
                        node.writes.release();
                        node = node.restart();
                    } else if (crash < 6) {
                        // Killed after the changes and timers, before the log position.
                        node.memberships.deadPositions = true;
                        node.writes.release();
                        node = node.restart();
                    } else if (crash < 8) {
                        // A passing failure of one of the three transactions (fewer failures than the
                        // writer's attempts): retried in process, nothing lost, no restart.
                        long retriesBefore = node.writer.retries();
                        int armedBefore = node.armedFailures();
                        // (one armed failure at a time, so a transaction never fails as often as the writer tries)
                        int failures = armedBefore > 0 ? 0 : 1 + random.nextInt(RETRIES - 1);
                        switch (random.nextInt(3)) {
                            case 0 -> node.memberships.failingChanges += failures;
                            case 1 -> node.timers.failing += failures;
                            default -> node.memberships.failingPositions += failures;
                        }
                        node.writes.release();
                        // (a failure armed for a write this batch did not make stays armed for a later one)
                        assertThat(node.writer.retries()).as("retries: one per failure that happened")
                                .isEqualTo(retriesBefore + armedBefore + failures - node.armedFailures());
                    }
                }
            } else if (action < 92) {
                clock.advance(Duration.ofMinutes(random.nextInt(random.nextBoolean() ? 90 : 3000)));
            } else {
                node.writes.release();
                node = node.stop();
                assertThat(node.recovered).as("recovery after a clean stop").isFalse();
            }
            while (node.engine.fireDueTimers(100) == 100) {
                // drain
            }
            if (node.writes.holding() && random.nextInt(4) == 0) {
                // Killed with timer-caused changes unwritten: the old timers are durable and fire again.
                node = node.restart();
                while (node.engine.fireDueTimers(100) == 100) {
                    // drain
                }
            }
            node.writes.release();
            assertAgree(node.engine.catalog(), profiles, node.durable, clock.instant(), step);
        }
        node.timers.close();
        node.durable.close();
        definitions.close();
    }

    /**
     * One running node over the durable stores: the engine with its writer behind it on an
     * executor the test controls, the registry, and fault injection into the two stores.
     */
    private static final class Node {
        private final Path db;
        private final HistoryProfiles profiles;
        final SqliteMembershipStore durable;
        private final SqliteSegmentDefinitionStore definitions;
        private final SteppingClock clock;
        private final int settle;
        final HeldExecutor writes = new HeldExecutor();
        final FailingTimers timers;
        final FailingMemberships memberships;
        final MembershipWriter writer;
        final SegmentEngine engine;
        final SegmentRegistry registry;
        boolean recovered;

        Node(Path db, HistoryProfiles profiles, SqliteSegmentDefinitionStore definitions, SteppingClock clock, int settle) {
            this.settle = settle;
            this.db = db;
            this.profiles = profiles;
            // Opened at each start: the members not yet materialized are read back from the log.
            // Settling for 0 s or 30 s: members written at the next commit (so a kill finds a
            // replay watermark mid-log) or only at close (a kill replays the whole log).
            this.durable = new SqliteMembershipStore(db, java.time.Duration.ofSeconds(settle));
            this.definitions = definitions;
            this.clock = clock;
            // Reopened at each start, as after a restart: the timer store reloads its due order from the table.
            this.timers = new FailingTimers(new SqliteWindowTimerStore(db));
            this.memberships = new FailingMemberships(durable);
            this.writer = new MembershipWriter(memberships, timers, writes, Integer.MAX_VALUE,
                    new MembershipWriter.Retry(RETRIES, Duration.ZERO, Duration.ZERO));
            this.engine = new SegmentEngine(profiles, writer, timers, ProfileScores.none(), clock, 8);
            this.registry = new SegmentRegistry(definitions, durable, engine, profiles, clock, Runnable::run);
            registry.start();
            MembershipRecovery recovery = new MembershipRecovery(profiles, durable, engine);
            recovered = recovery.needed();
            recovery.run();
            writes.release();
        }

        /** Passing failures injected and not yet happened. */
        int armedFailures() {
            return memberships.failingChanges + timers.failing + memberships.failingPositions;
        }

        /**
         * A kill: whatever the writer still holds is lost, and so is what the stores kept in memory
         * (the stores are abandoned, not closed); a new node starts over the database.
         */
        Node restart() {
            writes.drop();
            return new Node(db, profiles, definitions, clock, settle);
        }

        /** A clean stop, then a start. */
        Node stop() {
            timers.close();
            durable.close();
            return new Node(db, profiles, definitions, clock, settle);
        }
    }

    /** Runs tasks at once, or holds them until released (the writer's thread, stalled) or dropped (killed). */
    private static final class HeldExecutor implements java.util.concurrent.Executor {
        private final java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();
        private boolean holding;

        @Override
        public void execute(Runnable task) {
            if (holding) {
                held.add(task);
            } else {
                task.run();
            }
        }

        void hold(boolean on) {
            if (!on) {
                release();
            }
            holding = on;
        }

        boolean holding() {
            return holding && !held.isEmpty();
        }

        void release() {
            holding = false;
            while (!held.isEmpty()) {
                held.poll().run();
            }
        }

        void drop() {
            held.clear();
            holding = false;
        }
    }

    /**
     * The real timer store, with injected failures: of every write from now on (a kill inside the
     * group commit: the writer's retries run out), or of the next few (a passing failure).
     */
    private static final class FailingTimers implements WindowTimerStore {
        private final SqliteWindowTimerStore real;
        boolean dead;
        int failing;

        FailingTimers(SqliteWindowTimerStore real) {
            this.real = real;
        }

        @Override
        public void schedule(String profileId, Instant dueAt) {
            real.schedule(profileId, dueAt);
        }

        @Override
        public void cancel(String profileId) {
            real.cancel(profileId);
        }

        @Override
        public void apply(Map<String, Optional<Instant>> updates, Map<String, Integer> partitions) {
            if (dead) {
                throw new IllegalStateException("killed before the timers were written");
            }
            if (failing > 0) {
                failing--;
                throw new IllegalStateException("timer write failed (passing)");
            }
            real.apply(updates, partitions);
        }

        @Override
        public Optional<Instant> scheduled(String profileId) {
            return real.scheduled(profileId);
        }

        @Override
        public Map<String, Instant> scheduled(java.util.Collection<String> profileIds) {
            return real.scheduled(profileIds);
        }

        @Override
        public List<WindowTimer> due(Instant now, int limit) {
            return real.due(now, limit);
        }

        @Override
        public List<WindowTimer> due(Instant now, int limit, Set<Integer> partitions) {
            return real.due(now, limit, partitions);
        }

        @Override
        public Optional<Instant> next() {
            return real.next();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    /**
     * The real membership store, with injected failures: of every position write from now on (a
     * kill before the position), or of the next few writes of changes or of positions (passing).
     */
    private static final class FailingMemberships implements MembershipStore {
        private final SqliteMembershipStore real;
        boolean deadPositions;
        int failingChanges;
        int failingPositions;

        FailingMemberships(SqliteMembershipStore real) {
            this.real = real;
        }

        @Override
        public Map<String, Instant> memberships(String profileId) {
            return real.memberships(profileId);
        }

        @Override
        public Map<String, Map<String, Instant>> memberships(java.util.Collection<String> profileIds) {
            return real.memberships(profileIds);
        }

        @Override
        public void apply(List<MembershipChange> changes, Map<Integer, Long> appliedThrough) {
            if (deadPositions && !appliedThrough.isEmpty()) {
                throw new IllegalStateException("killed before the log position was written");
            }
            if (failingPositions > 0 && !appliedThrough.isEmpty()) {
                failingPositions--;
                throw new IllegalStateException("position write failed (passing)");
            }
            if (failingChanges > 0 && !changes.isEmpty()) {
                failingChanges--;
                throw new IllegalStateException("membership write failed (passing)");
            }
            real.apply(changes, appliedThrough);
        }

        @Override
        public Map<Integer, Long> appliedThrough() {
            return real.appliedThrough();
        }

        @Override
        public long count(String segment) {
            return real.count(segment);
        }

        @Override
        public List<Member> members(String segment, String afterProfileId, int limit) {
            return real.members(segment, afterProfileId, limit);
        }

        @Override
        public List<MembershipChange> changes(String profileId) {
            return real.changes(profileId);
        }

        @Override
        public List<LoggedChange> changesAfter(long seq, int limit) {
            return real.changesAfter(seq, limit);
        }

        @Override
        public long latestChange() {
            return real.latestChange();
        }

        @Override
        public void removeSegment(String segment) {
            real.removeSegment(segment);
        }

        @Override
        public void close() {
            real.close();
        }
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
