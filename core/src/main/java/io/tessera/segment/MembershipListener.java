package io.tessera.segment;

import java.util.List;

/**
 * Receives membership changes after they are durable, in order, on the thread of the
 * {@link MembershipWriter} that wrote them (with a direct executor: the thread that caused them).
 * Must not block for long: the next group commit waits for it.
 */
@FunctionalInterface
public interface MembershipListener {
    void onChanges(List<MembershipChange> changes);
}
