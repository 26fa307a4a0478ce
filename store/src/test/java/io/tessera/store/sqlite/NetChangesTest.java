package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link NetChanges}' primitive id order and replay watermark against a plain model (a sorted map
 * of the held profiles and their first sequences), under random records, removals and sweeps.
 */
class NetChangesTest {

    @Test
    void sweepsVisitTheHeldProfilesInIdOrderAndTheWatermarkIsTheEarliestStaying() {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            NetChanges net = new NetChanges();
            TreeMap<String, Long> model = new TreeMap<>();
            long seq = 0;
            for (int step = 0; step < 3_000; step++) {
                int op = r.nextInt(10);
                if (op < 6) {
                    // a batch of changes, logged after sequence `seq`
                    for (int k = r.nextInt(5); k >= 0; k--) {
                        String id = "p" + r.nextInt(400);
                        net.record(id, "s" + r.nextInt(3), r.nextBoolean() ? seq : NetChanges.LEFT, seq);
                        model.putIfAbsent(id, seq);
                    }
                    seq += 1 + r.nextInt(3);
                } else if (op < 8 && !model.isEmpty()) {
                    // a sweep slice: what it writes is forgotten afterwards
                    int visits = 1 + r.nextInt(60);
                    List<String> slice = net.sweep(visits, Long.MAX_VALUE);
                    assertThat(slice).as("seed %d step %d", seed, step).hasSizeLessThanOrEqualTo(visits).isSubsetOf(model.keySet());
                    assertInIdOrderFromSomeStart(slice, seed, step);
                    long want = model.entrySet().stream().filter(e -> !slice.contains(e.getKey())).mapToLong(Map.Entry::getValue)
                            .min().orElse(Long.MAX_VALUE);
                    long logged = seq - r.nextInt(3);
                    assertThat(net.watermark(slice, logged)).as("seed %d step %d", seed, step).isEqualTo(Math.min(want, logged));
                    slice.forEach(net::remove);
                    slice.forEach(model::remove);
                } else if (!model.isEmpty()) {
                    // a profile removed outside a sweep (materialized on a read)
                    String id = new ArrayList<>(model.keySet()).get(r.nextInt(model.size()));
                    net.remove(id);
                    model.remove(id);
                }
                if (step % 50 == 0) {
                    // (reading every id merges the order: not at every step, so sweeps also meet unmerged ids)
                    assertThat(net.ids()).as("seed %d step %d", seed, step).containsExactlyElementsOf(model.keySet());
                }
                assertThat(net.size()).isEqualTo(model.size());
            }
            // a slice visiting everything gets every held profile once, in id order from the cursor
            List<String> all = net.sweep(model.size(), Long.MAX_VALUE);
            assertThat(new HashSet<>(all)).isEqualTo(model.keySet());
            assertThat(all).hasSize(model.size());
            assertInIdOrderFromSomeStart(all, seed, -1);
        }
    }

    @Test
    void consecutiveSlicesGoRoundInIdOrderAndSkipProfilesChangedSince() {
        NetChanges net = new NetChanges();
        for (int i = 0; i < 100; i++) {
            net.record(String.format("p%03d", i), "s", 1L, 0);
        }
        long cut = System.nanoTime();
        // changed after the cut: never written by a slice looking for changes before it
        net.record("p050", "s", 2L, 0);
        List<String> visited = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            visited.addAll(net.sweep(10, cut));
        }
        assertThat(visited).hasSize(99).doesNotContain("p050");
        assertInIdOrderFromSomeStart(visited, 0, 0);
        // the next round starts where this one ended
        assertThat(net.sweep(10, cut)).isEqualTo(visited.subList(0, 10));
    }

    /**
     * One profile that never settles holds the head of the arrival queue; the others come and go
     * behind it. The queue stays bounded by the profiles held (it is compacted whole, not only in
     * front of its head), and the watermark stays the oldest held profile's.
     */
    @Test
    void theArrivalQueueStaysBoundedBehindAProfileThatNeverSettles() {
        NetChanges net = new NetChanges();
        net.record("busy", "s", 1L, 0);
        for (int i = 0; i < 100_000; i++) {
            net.record("p" + i, "s", 1L, i + 1);
            net.remove("p" + i);
            net.record("busy", "s", 1L, i + 1);
        }
        assertThat(net.size()).isEqualTo(1);
        assertThat(net.arrivals()).isLessThan(1_000);
        assertThat(net.watermark(List.of(), 1_000_000)).isZero();
    }

    /** The list is sorted, or a sorted run followed by another sorted run of smaller ids (wrapped around). */
    private static void assertInIdOrderFromSomeStart(List<String> ids, long seed, int step) {
        int descents = 0;
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i).compareTo(ids.get(i - 1)) <= 0) {
                descents++;
            }
        }
        if (descents == 1 && ids.size() > 1) {
            assertThat(ids.get(ids.size() - 1).compareTo(ids.get(0))).as("seed %d step %d: wraps below its start", seed, step).isLessThan(0);
        }
        assertThat(descents).as("seed %d step %d: %s", seed, step, ids).isLessThanOrEqualTo(1);
    }

    @Test
    void theWatermarkIgnoresSlotsReusedByLaterProfiles() {
        NetChanges net = new NetChanges();
        net.record("a", "s", 1L, 10);
        net.record("b", "s", 1L, 20);
        net.remove("a");
        // "c" may take a's slot: its sequence is its own, not a's
        net.record("c", "s", 1L, 30);
        assertThat(net.watermark(List.of(), 99)).isEqualTo(20);
        assertThat(net.watermark(List.of("b"), 99)).isEqualTo(30);
        assertThat(net.watermark(List.of("b", "c"), 99)).isEqualTo(99);
        Map<String, Long> of = net.of("c");
        assertThat(of).containsEntry("s", 1L);
        Set<String> none = new HashSet<>(net.ids());
        assertThat(none).containsExactlyInAnyOrder("b", "c");
        assertThat(new HashMap<>(net.of(List.of("a", "b")))).containsOnlyKeys("b");
    }
}
