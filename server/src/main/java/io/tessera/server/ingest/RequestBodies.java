package io.tessera.server.ingest;

import io.tessera.server.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Request-body content encodings: identity, and gzip (RudderStack's Node SDK gzips by default).
 * Inflation stops one byte past the limit, so a gzip bomb costs at most that much memory and the
 * parser then rejects the body as too large.
 */
final class RequestBodies {
    private RequestBodies() {}

    static byte[] decode(String contentEncoding, byte[] raw, int limit) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        String enc = contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (!enc.equals("gzip") && !enc.equals("x-gzip")) {
            throw new ApiException("unsupported_encoding", "Content-Encoding '" + contentEncoding + "' is not supported; use gzip or none");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 8192)) {
            return in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw new ApiException("invalid_encoding", "the body is not valid gzip: " + e.getMessage());
        }
    }
}
