package io.tessera.delivery;

import java.time.Instant;

/** Why and since when an address must not be mailed. */
public record Suppression(String address, Reason reason, Instant since, String detail) {

    public enum Reason { UNSUBSCRIBE, HARD_BOUNCE, COMPLAINT, MANUAL }
}
