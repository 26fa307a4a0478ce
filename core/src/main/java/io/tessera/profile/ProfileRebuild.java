package io.tessera.profile;

import io.tessera.event.EventLog;
import java.time.Duration;
import java.time.InstantSource;

/**
 * {@code tessera rebuild}: deletes all profile state and replays the whole log through a fresh
 * {@link ProfileEngine}; because the engine is deterministic, the result equals the profiles the
 * live engine built. Run it while no other engine consumes the log (the server stops its
 * subscription first, or the CLI runs it offline).
 */
public final class ProfileRebuild {
    private final EventLog log;
    private final ProfileStore store;
    private final InstantSource clock;
    private final ProfileEngine.Options options;

    public ProfileRebuild(EventLog log, ProfileStore store, InstantSource clock, ProfileEngine.Options options) {
        this.log = log;
        this.store = store;
        this.clock = clock;
        this.options = options;
    }

    public ProfileRebuild(EventLog log, ProfileStore store, InstantSource clock) {
        this(log, store, clock, ProfileEngine.Options.defaults());
    }

    /** What a rebuild did. */
    public record Result(long eventsApplied, long profiles) {}

    /**
     * Rebuilds from the embedded log (one partition, offsets 0 … size-1). Returns the fresh engine's
     * figures; the engine itself is discarded, a server builds its own afterwards.
     *
     * @throws IllegalStateException if the replay does not finish within {@code timeout}
     */
    public Result run(Duration timeout) throws InterruptedException {
        store.clear();
        ProfileEngine engine = new ProfileEngine(store, clock, options);
        long lastOffset = log.size() - 1;
        try (EventLog.Subscription ignored = log.subscribe(engine)) {
            if (!engine.awaitApplied(0, lastOffset, timeout)) {
                throw new IllegalStateException("rebuild did not reach offset " + lastOffset + " within " + timeout);
            }
        }
        return new Result(engine.eventsApplied(), store.count());
    }
}
