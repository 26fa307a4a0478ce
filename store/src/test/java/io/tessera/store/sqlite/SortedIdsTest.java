package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link SortedIds} against a {@code TreeSet}, across chunk splits and emptied chunks. */
class SortedIdsTest {

    @Test
    void holdsWhatATreeSetHoldsAndWalksRoundInOrder() {
        Random r = new Random(11);
        SortedIds ids = new SortedIds();
        TreeSet<String> model = new TreeSet<>();
        String last = null;
        for (int step = 0; step < 60_000; step++) {
            int op = r.nextInt(10);
            // the id range drifts, so chunks fill, split and empty out
            String id = "p" + (step / 20 + r.nextInt(3 * SortedIds.CHUNK));
            if (op < 6) {
                ids.add(id);
                model.add(id);
            } else if (op < 9) {
                String gone = model.isEmpty() || r.nextBoolean() ? id : model.ceiling(id);
                if (gone != null) {
                    ids.remove(gone);
                    model.remove(gone);
                }
            } else {
                int visits = r.nextInt(100);
                List<String> walked = new ArrayList<>();
                ids.walk(visits, walked::add);
                // the model's walk: the ids after the last one visited, wrapping around
                List<String> want = new ArrayList<>();
                String from = last;
                for (int v = 0; v < Math.min(visits, model.size()); v++) {
                    String next = from == null ? null : model.higher(from);
                    from = next != null ? next : model.first();
                    want.add(from);
                }
                assertThat(walked).as("step %d", step).isEqualTo(want);
                if (!walked.isEmpty()) {
                    last = walked.get(walked.size() - 1);
                }
            }
            assertThat(ids.size()).isEqualTo(model.size());
            if (step % 5_000 == 0) {
                assertThat(ids.all()).as("step %d", step).containsExactlyElementsOf(model);
            }
        }
        assertThat(ids.all()).containsExactlyElementsOf(model);
    }
}
