package io.tessera.segment;

import java.util.List;

/**
 * Receives membership changes after they are durable, in order per profile, on the thread that
 * caused them (the profile engine's, the timer runner's or a backfill's). Must not block for long.
 */
@FunctionalInterface
public interface MembershipListener {
    void onChanges(List<MembershipChange> changes);
}
