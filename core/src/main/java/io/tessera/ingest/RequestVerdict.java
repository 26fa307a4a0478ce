package io.tessera.ingest;

import io.tessera.event.Event;
import io.tessera.quality.Reason;
import java.util.List;
import java.util.Optional;

/**
 * What the parser made of one tracking-API request: either the request as a whole is unusable
 * ({@link Invalid}: malformed JSON, invalid UTF-8, over a request limit), or it was read
 * ({@link Parsed}) into items, each of which is an event or a rejected record.
 */
public sealed interface RequestVerdict {

    /** The request cannot be read at all; nothing in it is kept. */
    record Invalid(Reason reason) implements RequestVerdict {}

    /**
     * The request was read.
     *
     * @param writeKey the {@code writeKey} body field, if the client sent one (Segment allows it)
     * @param items    one per event in the request, in request order
     */
    record Parsed(Optional<String> writeKey, List<Item> items) implements RequestVerdict {
        public Parsed {
            items = List.copyOf(items);
        }
    }

    /** One event of a request, by its index in the request (0 for single calls). */
    sealed interface Item {
        int index();
    }

    /** A well-formed event. */
    record Valid(int index, Event event) implements Item {}

    /** A record that breaks a rule; kept with its raw text for the quarantine. */
    record Rejected(int index, String raw, List<Reason> reasons) implements Item {
        public Rejected {
            reasons = List.copyOf(reasons);
        }
    }
}
