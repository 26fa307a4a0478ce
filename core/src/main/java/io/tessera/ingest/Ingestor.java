package io.tessera.ingest;

import io.tessera.event.Event;
import io.tessera.event.EventLog;
import io.tessera.event.EventLog.AppendOutcome;
import io.tessera.event.EventLog.KeyedEvent;
import io.tessera.event.EventType;
import io.tessera.event.EventCodec;
import io.tessera.quality.QualityPipeline;
import io.tessera.quality.QualityVerdict;
import io.tessera.quality.QuarantineStore;
import io.tessera.quality.QuarantinedRecord;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The ingestion stage: a parsed tracking-API request → {@link QualityPipeline} → {@link EventLog}
 * (partition key from {@link PartitionKeys}: userId, else anonymousId, or through the identity
 * graph for a partitioned log) → a {@link IngestReceipt} once the accepted events
 * are durable. Records the parser rejected or the quality pipeline quarantined are stored in the
 * {@link QuarantineStore} with their raw payload and reasons before the receipt is given, so
 * nothing is dropped silently; the good events of a mixed batch are still taken.
 *
 * <p>Thread-safe: holds no mutable state; the ports it calls are thread-safe.
 */
public final class Ingestor {
    private static final EventCodec CODEC = new EventCodec();
    private final TrackingApiParser parser;
    private final QualityPipeline quality;
    private final EventLog log;
    private final QuarantineStore quarantine;
    private final InstantSource clock;
    private final PartitionKeys keys;

    public Ingestor(TrackingApiParser parser, QualityPipeline quality, EventLog log, QuarantineStore quarantine, InstantSource clock) {
        this(parser, quality, log, quarantine, clock, PartitionKeys.DIRECT);
    }

    /** @param keys the partition key of each accepted event ({@link HomeRouting} for a partitioned log) */
    public Ingestor(TrackingApiParser parser, QualityPipeline quality, EventLog log, QuarantineStore quarantine, InstantSource clock,
                    PartitionKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.quality = Objects.requireNonNull(quality, "quality");
        this.log = Objects.requireNonNull(log, "log");
        this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public IngestLimits limits() {
        return parser.limits();
    }

    /** Parses a request body; {@code call} is empty for a batch. */
    public RequestVerdict parse(Optional<EventType> call, byte[] body, String source) {
        return parser.parse(call, body, source);
    }

    /**
     * Checks, quarantines and appends the events of a parsed request. The future completes when
     * every accepted event is durable, or exceptionally when the log could not make them so.
     *
     * @param source recorded on quarantined records ("api", "batch", "import", …)
     */
    public CompletableFuture<IngestReceipt> ingest(RequestVerdict.Parsed request, String source) {
        List<KeyedEvent> accepted = new ArrayList<>(request.items().size());
        List<IngestReceipt.Rejection> rejected = new ArrayList<>(0);
        List<QuarantinedRecord> records = new ArrayList<>(0);
        for (RequestVerdict.Item item : request.items()) {
            switch (item) {
                case RequestVerdict.Rejected r -> {
                    rejected.add(new IngestReceipt.Rejection(r.index(), r.reasons()));
                    records.add(new QuarantinedRecord("", source, r.raw(), r.reasons(), clock.instant(), QuarantinedRecord.Status.QUARANTINED));
                }
                case RequestVerdict.Valid v -> {
                    switch (quality.check(v.event())) {
                        case QualityVerdict.Accepted a -> accepted.add(new KeyedEvent(keys.keyOf(a.event()), a.event()));
                        case QualityVerdict.Quarantined q -> {
                            rejected.add(new IngestReceipt.Rejection(v.index(), q.reasons()));
                            records.add(new QuarantinedRecord("", source, new String(CODEC.encode(v.event()), StandardCharsets.UTF_8),
                                    q.reasons(), clock.instant(), QuarantinedRecord.Status.QUARANTINED));
                        }
                    }
                }
            }
        }
        if (!records.isEmpty()) {
            quarantine.add(records);
        }
        if (accepted.isEmpty()) {
            return CompletableFuture.completedFuture(new IngestReceipt(0, 0, rejected));
        }
        return log.append(accepted).thenApply(outcomes -> {
            int duplicates = 0;
            for (AppendOutcome o : outcomes) {
                if (o == AppendOutcome.DUPLICATE) {
                    duplicates++;
                }
            }
            return new IngestReceipt(accepted.size(), duplicates, rejected);
        });
    }

    /** The log partition key of an event: its userId, else its anonymousId. */
    public static String partitionKey(Event e) {
        return e.userId().or(e::anonymousId).orElseThrow(() -> new IllegalArgumentException("event " + e.messageId() + " has no identity"));
    }
}
