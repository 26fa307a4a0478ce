package io.tessera.segment;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The embedded {@link MembershipChangeStream}: registered as a listener of the segment engine, it
 * passes each durable batch of changes to every subscriber on the engine's thread, in order. One
 * node, so a subscriber's name does not matter. Thread-safe (subscribers are a copy-on-write list).
 */
public final class InProcessMembershipChanges implements MembershipChangeStream, MembershipListener {
    private final List<MembershipListener> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public void subscribe(String name, MembershipListener listener) {
        subscribers.add(listener);
    }

    @Override
    public void onChanges(List<MembershipChange> changes) {
        for (MembershipListener l : subscribers) {
            l.onChanges(changes);
        }
    }

    @Override
    public void close() {
        subscribers.clear();
    }
}
