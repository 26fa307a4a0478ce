package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.quality.dedupe.DedupeReviewQueue;
import io.tessera.quality.dedupe.ReviewPair;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link DedupeReviewQueue} adapter must do on its real technology. An adapter test says
 * how to open a queue kept under a directory (or schema), and how to close it; opening it again
 * must give the same state.
 */
public abstract class DedupeReviewQueueContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    protected Path dir;

    protected abstract DedupeReviewQueue open(Path dir);

    protected abstract void close(DedupeReviewQueue queue);

    private static ReviewPair pending(String a, String b, double score) {
        return new ReviewPair(ReviewPair.idOf(a, b), a, b, score, ReviewPair.Status.PENDING, "", T0, Optional.empty());
    }

    @Test
    void aPairIsStoredOnceByItsIdWhicheverWayRoundItIsFound() {
        DedupeReviewQueue q = open(dir);
        assertThat(q.offer(pending("p_a", "p_b", 0.7))).isTrue();
        assertThat(q.offer(pending("p_b", "p_a", 0.8))).isFalse();

        assertThat(q.get(ReviewPair.idOf("p_a", "p_b"))).contains(pending("p_a", "p_b", 0.7));
        assertThat(q.get("dp_unknown")).isEmpty();
        close(q);
    }

    @Test
    void listsByStatusHighestScoreFirst() {
        DedupeReviewQueue q = open(dir);
        q.offer(pending("p_a", "p_b", 0.6));
        q.offer(pending("p_c", "p_d", 0.9));
        q.offer(new ReviewPair(ReviewPair.idOf("p_e", "p_f"), "p_e", "p_f", 0.95, ReviewPair.Status.MERGED, "auto-merge", T0, Optional.of(T0)));

        assertThat(q.list(Optional.of(ReviewPair.Status.PENDING), 10)).extracting(ReviewPair::profileA).containsExactly("p_c", "p_a");
        assertThat(q.list(Optional.empty(), 2)).extracting(ReviewPair::profileA).containsExactly("p_e", "p_c");
        close(q);
    }

    @Test
    void aDecisionIsTakenOnceAndSurvivesReopening() {
        DedupeReviewQueue q = open(dir);
        q.offer(pending("p_a", "p_b", 0.7));
        String id = ReviewPair.idOf("p_a", "p_b");

        assertThat(q.decide(id, ReviewPair.Status.REJECTED, T0.plusSeconds(60))).isTrue();
        assertThat(q.decide(id, ReviewPair.Status.MERGED, T0.plusSeconds(61))).isFalse();
        assertThat(q.decide("dp_unknown", ReviewPair.Status.MERGED, T0)).isFalse();
        close(q);

        DedupeReviewQueue again = open(dir);
        assertThat(again.get(id)).contains(pending("p_a", "p_b", 0.7).decided(ReviewPair.Status.REJECTED, T0.plusSeconds(60)));
        assertThat(again.offer(pending("p_a", "p_b", 0.9))).isFalse();
        close(again);
    }
}
