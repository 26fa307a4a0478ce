package io.tessera.log.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Kafka log's append dedupe: the last {@code capacity} messageIds this node appended (or read
 * from the topic's tail at start), each with the future of its first append. A second append of
 * a messageId waits for the first: it is acknowledged DUPLICATE once the first is durable, and
 * fails with it if it fails (the first's claim is then released, so a retry stores it).
 *
 * <p>Bounded FIFO: the oldest messageId is forgotten first. Thread-safe (one monitor; the
 * critical sections are a map lookup and insert).
 */
final class MessageIdWindow {
    private static final CompletableFuture<Void> STORED = CompletableFuture.completedFuture(null);

    private final Map<String, CompletableFuture<Void>> recent;

    MessageIdWindow(int capacity) {
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Void>> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Claims the messageId for an append that will complete {@code store}; or, when it is already
     * claimed, gives the first claim's future (the caller's event is a duplicate).
     */
    synchronized Optional<CompletableFuture<Void>> claim(String messageId, CompletableFuture<Void> store) {
        CompletableFuture<Void> first = recent.putIfAbsent(messageId, store);
        return Optional.ofNullable(first);
    }

    /** Forgets a claim whose append failed, unless a later claim replaced it. */
    synchronized void release(String messageId, CompletableFuture<Void> store) {
        recent.remove(messageId, store);
    }

    /** Remembers a messageId already in the topic. */
    synchronized void stored(String messageId) {
        recent.putIfAbsent(messageId, STORED);
    }

    synchronized int size() {
        return recent.size();
    }
}
