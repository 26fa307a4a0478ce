package io.tessera.profile;

/**
 * Told about every profile change, on the profile engine's thread, after the change is durable
 * (segments subscribe here). A listener must be quick and must not throw for bad data: a thrown
 * exception stops the engine's delivery like an outage does.
 *
 * <p>The engine commits the log in batches: it calls {@link #onChange} for every change of a
 * batch, then {@link #onBatchCommitted} once, so a listener can make its own writes for the whole
 * batch in one transaction and record the log position they reflect.
 */
@FunctionalInterface
public interface ProfileChangeListener {
    void onChange(ProfileChange change);

    /**
     * Every change of the batch ending at {@code lastOffset} of {@code partition} has been handed to
     * {@link #onChange}. Called once per committed batch, on the engine's thread.
     */
    default void onBatchCommitted(int partition, long lastOffset) {
    }

    /**
     * This node no longer owns these log partitions (a Kafka rebalance): another node may change
     * their profiles from now on, so state cached about them must go. Called on the engine's
     * thread; when it returns, nothing of this listener may still be writing for those partitions.
     */
    default void onPartitionsRevoked(java.util.List<Integer> partitions) {
    }

    /**
     * This node owns these log partitions from now on (a Kafka rebalance), before their first
     * batch is applied: the moment to bring state derived from their profiles level with the store
     * (the previous owner may have died between a profile commit and its own writes).
     */
    default void onPartitionsAssigned(java.util.List<Integer> partitions) {
    }
}
