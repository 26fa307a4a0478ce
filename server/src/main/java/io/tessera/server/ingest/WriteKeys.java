package io.tessera.server.ingest;

import io.tessera.server.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Write-key authentication, Segment's way: the key is the user name of HTTP Basic auth (the
 * password is empty), or the {@code writeKey} field of the body. Immutable, thread-safe.
 */
final class WriteKeys {
    private final Set<String> keys;

    WriteKeys(List<String> keys) {
        this.keys = Set.copyOf(keys);
    }

    /** The user name of an {@code Authorization: Basic …} header, if there is one. */
    static Optional<String> fromHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return Optional.of("");
        }
    }

    void check(Optional<String> key) {
        if (key.isEmpty() || key.get().isEmpty()) {
            throw new ApiException("missing_write_key", "send the write key as the HTTP Basic user name (or as 'writeKey' in the body)");
        }
        if (!keys.contains(key.get())) {
            throw new ApiException("invalid_write_key", "the write key is not valid");
        }
    }
}
