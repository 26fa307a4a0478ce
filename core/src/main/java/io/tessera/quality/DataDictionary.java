package io.tessera.quality;

import java.time.Instant;
import java.util.List;

/**
 * The master data dictionary (port): for every event name and property seen in the log, each
 * observed JSON type with its count and first/last time seen. Property "" stands for the event
 * itself. Filled by {@link DictionaryBuilder} from the log, exactly once per event: the offsets
 * are stored in the same transaction as the counts. Thread-safe.
 */
public interface DataDictionary {

    /** One (event, property, type) line of the dictionary. */
    record Entry(String event, String property, String type, long count, Instant firstSeen, Instant lastSeen) {}

    long resumeAfter(int partition);

    /** Adds the counts (merged with what is stored: counts summed, first = min, last = max) and the new offset, atomically. */
    void record(int partition, long lastOffset, List<Entry> observed);

    /** Every entry, ordered by event, property, type. */
    List<Entry> entries();
}
