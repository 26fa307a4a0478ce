package io.tessera.server.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tessera.ingest.IngestReceipt;
import io.tessera.quality.Reason;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Ingestion meters: events accepted, events rejected by reason code, duplicates, and the time an
 * append takes to become durable. Thread-safe.
 */
final class IngestMetrics {
    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter duplicates;
    private final Timer append;
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder("tessera.events.accepted").description("events acknowledged durable").register(registry);
        this.duplicates = Counter.builder("tessera.events.duplicates").description("acknowledged events whose messageId was already stored").register(registry);
        this.append = Timer.builder("tessera.log.append").description("time until an append is durable")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    Timer appendTimer() {
        return append;
    }

    void receipt(IngestReceipt r) {
        accepted.increment(r.accepted());
        duplicates.increment(r.duplicates());
        r.rejected().forEach(x -> rejected(x.reasons().get(0)));
    }

    void rejected(Reason reason) {
        rejected(reason.code());
    }

    void rejected(String code) {
        rejected.computeIfAbsent(code, c -> Counter.builder("tessera.events.rejected").tag("code", c)
                .description("events or requests rejected, by reason code").register(registry)).increment();
    }
}
