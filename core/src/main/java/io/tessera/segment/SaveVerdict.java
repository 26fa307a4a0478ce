package io.tessera.segment;

/** The answer to saving a segment: saved (with its backfill), or rejected with a reason and position. */
public sealed interface SaveVerdict {

    record Saved(SegmentDefinition definition, Backfill.Progress backfill) implements SaveVerdict {}

    /** {@code code} is {@code invalid_condition} or {@code invalid_key}; line/column are 1-based. */
    record Rejected(String code, String message, int line, int column) implements SaveVerdict {}
}
