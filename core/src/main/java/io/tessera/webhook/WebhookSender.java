package io.tessera.webhook;

import java.util.Map;
import java.util.Optional;

/**
 * Sends one HTTP POST (the server's adapter uses the JDK HTTP client). Never throws for a remote
 * failure: a refused connection, a timeout or a non-2xx status is an {@link Outcome} with the reason.
 */
@FunctionalInterface
public interface WebhookSender {
    Outcome post(String url, Map<String, String> headers, String body);

    /** What came back: the status (0 when there was no response) and, on failure, why. */
    record Outcome(int status, Optional<String> error) {
        public boolean delivered() {
            return status >= 200 && status < 300;
        }

        public static Outcome status(int status) {
            return new Outcome(status, status >= 200 && status < 300 ? Optional.empty() : Optional.of("HTTP " + status));
        }

        public static Outcome failure(String why) {
            return new Outcome(0, Optional.of(why));
        }
    }
}
