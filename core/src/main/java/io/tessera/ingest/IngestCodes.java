package io.tessera.ingest;

/**
 * The machine-readable reason codes ingestion produces. They appear in HTTP error bodies, in
 * the rejected-by-index list of a batch answer, in quarantined records and as the {@code code}
 * tag of the rejected-events metric; the server maps each to an HTTP status in one place.
 */
public final class IngestCodes {
    /** The body is not JSON (or not a JSON object). */
    public static final String MALFORMED_JSON = "malformed_json";
    /** The body is not valid UTF-8. */
    public static final String INVALID_UTF8 = "invalid_utf8";
    /** One event (a single call, or one element of a batch) is over the per-event limit. */
    public static final String EVENT_TOO_LARGE = "event_too_large";
    /** A batch request is over the per-request limit. */
    public static final String BATCH_TOO_LARGE = "batch_too_large";
    /** A batch holds more events than allowed. */
    public static final String TOO_MANY_EVENTS = "too_many_events";
    /** {@code batch} is missing or not an array. */
    public static final String MISSING_BATCH = "missing_batch";
    /** JSON nests deeper than allowed. */
    public static final String TOO_DEEP = "too_deep";
    /** Neither userId nor anonymousId is present. */
    public static final String MISSING_IDENTITY = "missing_identity";
    /** A field has the wrong JSON type. */
    public static final String WRONG_TYPE = "wrong_type";
    /** A required field (event, previousId, groupId, type) is missing. */
    public static final String MISSING_FIELD = "missing_field";
    /** A batch element's type is not one of the six call types. */
    public static final String UNKNOWN_TYPE = "unknown_type";
    /** A timestamp is not ISO-8601. */
    public static final String INVALID_TIMESTAMP = "invalid_timestamp";
    /** The skew-corrected timestamp is further in the future than allowed. */
    public static final String TIMESTAMP_IN_FUTURE = "timestamp_in_future";

    private IngestCodes() {}
}
