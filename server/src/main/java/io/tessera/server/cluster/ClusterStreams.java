package io.tessera.server.cluster;

import io.tessera.delivery.campaign.SendJobQueue;
import io.tessera.log.kafka.KafkaDefinitionFeed;
import io.tessera.log.kafka.KafkaLogSettings;
import io.tessera.log.kafka.KafkaMembershipChanges;
import io.tessera.log.kafka.KafkaSendJobQueue;
import io.tessera.log.kafka.KafkaStreamSettings;
import io.tessera.segment.MembershipStore;
import io.tessera.segment.SegmentDefinition;
import io.tessera.segment.SegmentDefinitionStore;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a cluster node shares through Kafka besides the event log: the segment-changes stream
 * (relay + subscriptions), the send-jobs queue and the definitions feed. Built only in cluster
 * mode ({@link #open} is empty in embedded mode); the topics are checked (created) first, and a
 * node whose Kafka refuses stops with {@link ClusterUnavailableException}.
 *
 * <p>Lifecycle: {@link #open} (topics checked, clients created), {@link #start} (relay and feed
 * run; the features have subscribed by then), {@link #close}.
 */
public final class ClusterStreams implements AutoCloseable {
    private static final String REVERSAL = "merge-reversal";
    private final KafkaStreamSettings topics;
    private final KafkaMembershipChanges changes;
    private final KafkaSendJobQueue jobs;
    private final KafkaDefinitionFeed definitions;

    private ClusterStreams(KafkaLogSettings kafka, KafkaStreamSettings topics, MembershipStore memberships,
                           int sendWorkers, InstantSource clock) {
        this.topics = topics;
        this.changes = new KafkaMembershipChanges(kafka, topics, memberships);
        this.jobs = new KafkaSendJobQueue(kafka, topics, sendWorkers, clock);
        this.definitions = new KafkaDefinitionFeed(kafka, topics);
    }

    /** In cluster mode: checks the topics and opens the clients; empty in embedded mode. */
    public static Optional<ClusterStreams> open(Deployment deployment, Function<String, Optional<String>> setting,
                                                MembershipStore memberships, InstantSource clock) {
        if (!deployment.cluster()) {
            return Optional.empty();
        }
        KafkaLogSettings kafka = deployment.kafka().orElseThrow();
        KafkaStreamSettings topics = ClusterTopics.settings(kafka, setting);
        ClusterTopics.ensure(kafka, topics);
        int workers = Integer.parseInt(setting.apply("delivery.workers").orElse("4").strip());
        return Optional.of(new ClusterStreams(kafka, topics, memberships, workers, clock));
    }

    public KafkaStreamSettings topics() {
        return topics;
    }

    /** Durable membership changes, from the segment-changes topic. */
    public KafkaMembershipChanges changes() {
        return changes;
    }

    /** Campaign send work shared by the nodes. */
    public SendJobQueue sendJobs() {
        return jobs;
    }

    /** Segment definitions that tell every node when one is saved or deleted. */
    public SegmentDefinitionStore announcing(SegmentDefinitionStore store) {
        return new AnnouncingDefinitions(store, definitions);
    }

    /** Tells every node that the campaigns changed (after a save through this node). */
    public void campaignsChanged(String key) {
        definitions.publish("campaign", key);
    }

    /**
     * Asks every node to reverse a merge; the one that owns the survivor's partition does it
     * ({@code ProfileEngine#reverseMergeIfOwner}). The notice carries the request; the outcome is
     * read from the store (a separation appears). Returns once Kafka has it.
     */
    public void requestReversal(String profileId, String mergeId) {
        definitions.publish(REVERSAL, mergeId + "/" + profileId);
    }

    /**
     * Starts the relay and the definitions feed: {@code segmentsChanged} and {@code campaignsChanged}
     * run (on the feed's thread) whenever another node announces a change, and once at start;
     * {@code reversalRequested} (profileId, mergeId) for each reversal requested after start.
     */
    public void start(Runnable segmentsChanged, Runnable campaignsChanged, BiConsumer<String, String> reversalRequested) {
        changes.start();
        Consumer<KafkaDefinitionFeed.Notice> reload = n -> {
            if (n.kind().equals(REVERSAL)) {
                int slash = n.key().indexOf('/');
                if (slash > 0) {
                    reversalRequested.accept(n.key().substring(slash + 1), n.key().substring(0, slash));
                }
                return;
            }
            if (n.concerns("segment")) {
                segmentsChanged.run();
            }
            if (n.concerns("campaign")) {
                campaignsChanged.run();
            }
        };
        definitions.listen(reload);
    }

    @Override
    public void close() {
        definitions.close();
        jobs.close();
        changes.close();
    }

    /** A {@link SegmentDefinitionStore} that publishes a notice after each save or delete is durable. */
    private record AnnouncingDefinitions(SegmentDefinitionStore store, KafkaDefinitionFeed feed) implements SegmentDefinitionStore {
        @Override
        public void save(SegmentDefinition definition) {
            store.save(definition);
            feed.publish("segment", definition.key());
        }

        @Override
        public List<SegmentDefinition> active() {
            return store.active();
        }

        @Override
        public List<SegmentDefinition> versions(String key) {
            return store.versions(key);
        }

        @Override
        public void delete(String key) {
            store.delete(key);
            feed.publish("segment", key);
        }

        @Override
        public Optional<SegmentDefinition> latest(String key) {
            return store.latest(key);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
