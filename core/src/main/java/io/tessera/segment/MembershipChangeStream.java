package io.tessera.segment;

/**
 * The stream of durable membership changes as its consumers (triggered campaigns, and anything
 * else reacting to enters and exits) read it. A port: the embedded adapter
 * ({@link InProcessMembershipChanges}) hands the segment engine's changes to the subscribers on
 * the engine's thread; the cluster adapter ({@code log.kafka.KafkaMembershipChanges}) relays the
 * durable membership log to a Kafka topic keyed by profile id and delivers it to one node of each
 * subscriber's consumer group.
 *
 * <p>Delivery is at least once per subscriber (a node dying after handling changes but before
 * recording that it did hands them to its successor again), in order per profile; a subscriber
 * must be idempotent (the trigger queue keeps an entry it already holds as it is).
 */
public interface MembershipChangeStream extends AutoCloseable {

    /**
     * Starts delivering every durable change from now on to {@code listener}. {@code name} names
     * the subscriber: in a cluster the nodes subscribing under one name share the changes (each
     * change reaches one of them).
     */
    void subscribe(String name, MembershipListener listener);

    @Override
    void close();
}
