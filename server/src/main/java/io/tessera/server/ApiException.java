package io.tessera.server;

import io.tessera.quality.Reason;
import java.util.List;

/**
 * A request the API refuses, with a machine-readable code: any route may throw it (or return a
 * verdict the route turns into one); {@link ErrorMapper} renders it as
 * {@code {"error":{"code","message","details":[…]}}} with the status {@link ErrorMapper#statusOf}
 * gives for the code, so each code has one status everywhere.
 */
public final class ApiException extends RuntimeException {
    private final String code;
    private final List<?> details;

    /** @param details JSON-serializable details (for example {@link Reason}s or maps) */
    public ApiException(String code, String message, List<?> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = List.copyOf(details);
    }

    public ApiException(String code, String message) {
        this(code, message, List.of());
    }

    public static ApiException of(Reason reason) {
        return new ApiException(reason.code(), reason.message(), List.of(reason));
    }

    public String code() {
        return code;
    }

    public List<?> details() {
        return details;
    }
}
