package io.tessera.log.kafka;

/** Kafka did not answer, or refused: an outage the operator must fix (wrong address, brokers down). */
public final class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
