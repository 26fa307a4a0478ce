package io.tessera.quality;

/**
 * Why a record was rejected, quarantined or flagged: a machine-readable code
 * (e.g. {@code invalid_email}, {@code schema_violation}), the JSON pointer of the offending field
 * ("" for the whole record), and a human-readable message.
 */
public record Reason(String code, String pointer, String message) {}
