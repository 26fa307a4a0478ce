package io.tessera.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the embedded default keeps mail instead of sending it: every message with its raw MIME,
 * listed by {@code GET /api/v1/outbox?campaign=}. Adapter: {@code store.sqlite.SqliteOutbox}.
 * Thread-safe.
 */
public interface Outbox extends AutoCloseable {

    /** Stores the message; storing the same Message-ID again keeps the first. */
    void put(Entry entry);

    Optional<Entry> find(String messageId);

    /** Messages whose campaign header matches (all when empty), newest last, after the given sequence number. */
    List<Entry> list(Optional<String> campaign, long afterSeq, int limit);

    long count(Optional<String> campaign);

    @Override
    void close();

    /** One stored message. {@code seq} is assigned by the store (0 when putting). */
    record Entry(long seq, String messageId, String campaign, String to, String subject, Instant at, byte[] rawMime) {}
}
