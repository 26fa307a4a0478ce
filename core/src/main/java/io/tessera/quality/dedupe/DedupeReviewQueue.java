package io.tessera.quality.dedupe;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The persisted review queue of fuzzy duplicate profiles (port): pairs scored between the review
 * and auto-merge thresholds (or above it but not mergeable automatically) wait here for an admin
 * to merge or reject them. A pair is stored once by its {@link ReviewPair#id}; its decision is
 * final. Thread-safe. Adapters: {@code store.sqlite.SqliteDedupeReviewQueue}; every adapter passes
 * {@code testkit}'s {@code DedupeReviewQueueContract}.
 */
public interface DedupeReviewQueue {

    /** Stores the pair unless a pair with its id is already stored (whatever its status); true if stored. */
    boolean offer(ReviewPair pair);

    Optional<ReviewPair> get(String id);

    /** Pairs with the status (all when empty), highest score first, then by id; at most {@code limit}. */
    List<ReviewPair> list(Optional<ReviewPair.Status> status, int limit);

    /** Moves a PENDING pair to MERGED or REJECTED at {@code at}; false (nothing changes) if it is not pending. */
    boolean decide(String id, ReviewPair.Status to, Instant at);
}
