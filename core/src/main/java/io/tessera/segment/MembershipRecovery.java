package io.tessera.segment;

import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings memberships level with the profile store after a crash between a profile commit and the
 * segment writes of the same batch (or after a failed segment write). Memberships are a function
 * of the stored profiles, their histories and the clock, so the repair is a re-evaluation of every
 * segment for the profiles whose last offset is past the position the membership store recorded
 * ({@link MembershipStore#appliedThrough}). Nothing to do, and no scan, when the positions match.
 *
 * <p>Runs once, on the executor the composition root gives it, taking the engine's lock per page
 * so live events keep flowing; the engine records no position until it is done, so a crash during
 * recovery recovers again.
 */
public final class MembershipRecovery implements Runnable {
    static final int PAGE = 256;

    private final ProfileStore profiles;
    private final MembershipStore memberships;
    private final SegmentEngine engine;
    private final Optional<Long> from;
    private final Map<Integer, Long> target = new java.util.HashMap<>();
    private volatile long repaired;

    /** Decides, now, whether recovery is needed; call before the profile engine starts delivering. */
    public MembershipRecovery(ProfileStore profiles, MembershipStore memberships, SegmentEngine engine) {
        this.profiles = profiles;
        this.memberships = memberships;
        this.engine = engine;
        this.from = recoverAfter();
        if (from.isPresent()) {
            engine.holdPositions();
            // The store is quiet now (nothing delivered yet): these are the positions a finished
            // recovery has brought the memberships level with.
            memberships.appliedThrough().keySet().forEach(p -> target.put(p, profiles.resumeAfter(p)));
            target.putIfAbsent(0, profiles.resumeAfter(0));
        }
    }

    /** The offset after which profiles must be re-evaluated, or empty when memberships are current. */
    private Optional<Long> recoverAfter() {
        Map<Integer, Long> recorded = memberships.appliedThrough();
        if (recorded.isEmpty()) {
            // Never recorded: a new database (nothing to do), or one written before positions were.
            return profiles.count() == 0 ? Optional.empty() : Optional.of(-1L);
        }
        boolean behind = recorded.entrySet().stream().anyMatch(p -> profiles.resumeAfter(p.getKey()) > p.getValue());
        return behind ? recorded.values().stream().min(Long::compare) : Optional.empty();
    }

    /** Whether a re-evaluation is pending or running. */
    public boolean needed() {
        return from.isPresent();
    }

    /** Profiles re-evaluated so far. */
    public long repaired() {
        return repaired;
    }

    @Override
    public void run() {
        if (from.isEmpty()) {
            return;
        }
        long after = from.get();
        String cursor = "";
        List<String> ids;
        while (!(ids = profiles.ids(cursor, PAGE)).isEmpty()) {
            List<String> stale = new ArrayList<>();
            for (String id : ids) {
                profiles.get(id).filter(p -> p.lastOffset() > after).map(Profile::id).ifPresent(stale::add);
            }
            if (!stale.isEmpty()) {
                engine.evaluatePage(java.util.Set.copyOf(engine.catalog().keys()), stale, "recovery");
                repaired += stale.size();
            }
            cursor = ids.get(ids.size() - 1);
        }
        engine.releasePositions(target);
    }
}
