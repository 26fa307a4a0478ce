package io.tessera.segment;

import io.tessera.profile.ProfileStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluates one new or changed segment over every existing profile, a page at a time, while live
 * events keep flowing: each page's states are built from the histories outside the engine's lock
 * on both cores, and the lock is taken only to evaluate the page
 * ({@link SegmentEngine#evaluatePage(String, List, String)}); its writes join the engine's group
 * commit. Progress is readable from any thread; {@link #run} runs on whatever executor the
 * composition root gives the registry, and reports DONE once the last page is durable.
 */
public final class Backfill implements Runnable {
    static final int PAGE = 1000;

    private final String segment;
    private final int version;
    private final ProfileStore profiles;
    private final SegmentEngine engine;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private volatile Status status = Status.PENDING;

    /** Where a backfill is. */
    public enum Status { PENDING, RUNNING, DONE, CANCELLED }

    /** A snapshot of a backfill's progress. */
    public record Progress(String segment, int version, long done, long total, Status status) {}

    Backfill(String segment, int version, ProfileStore profiles, SegmentEngine engine) {
        this.segment = segment;
        this.version = version;
        this.profiles = profiles;
        this.engine = engine;
        this.total = profiles.count();
    }

    @Override
    public void run() {
        if (status != Status.PENDING) {
            return;
        }
        status = Status.RUNNING;
        String after = "";
        while (status == Status.RUNNING) {
            List<String> ids = profiles.ids(after, PAGE);
            if (ids.isEmpty()) {
                // Done means durable: the last pages may still be in the engine's group commit.
                engine.awaitWritten();
                status = Status.DONE;
                return;
            }
            engine.evaluatePage(segment, ids, "backfill:v" + version);
            done.addAndGet(ids.size());
            after = ids.get(ids.size() - 1);
        }
    }

    void cancel() {
        status = Status.CANCELLED;
    }

    public Progress progress() {
        return new Progress(segment, version, done.get(), Math.max(total, done.get()), status);
    }
}
