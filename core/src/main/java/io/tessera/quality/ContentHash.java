package io.tessera.quality;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Content-hash ids for imported rows that carry no id: the same row content (cells trimmed,
 * in order) from the same source always gets the same message id, so importing a file twice —
 * or a file with repeated rows — stores each row once through the log's message-id idempotency.
 * Stateless.
 */
public final class ContentHash {
    private ContentHash() {}

    /** {@code h_} + the first 128 bits of SHA-256 over the source and the trimmed cells, hex. */
    public static String messageId(String source, List<String> cells) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            for (String c : cells) {
                sha.update((byte) 0x1f);
                sha.update(c.strip().getBytes(StandardCharsets.UTF_8));
            }
            return "h_" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
