package io.tessera.delivery;

/**
 * What the relay (or outbox) said about one message. A 4xx reply is worth retrying later; a 5xx
 * reply is final for this recipient (a hard bounce).
 */
public sealed interface DeliveryVerdict {

    /** The SMTP reply text (or a description of the outbox write). */
    String reply();

    /** The relay accepted the message (250). */
    record Delivered(String reply) implements DeliveryVerdict {}

    /** A 4xx reply or a connection problem; {@code code} is 0 when no reply was received. */
    record TemporaryFailure(int code, String reply) implements DeliveryVerdict {}

    /** A 5xx reply: the relay refused this message or recipient for good. */
    record PermanentFailure(int code, String reply) implements DeliveryVerdict {}
}
