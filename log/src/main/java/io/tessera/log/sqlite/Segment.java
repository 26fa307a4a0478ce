package io.tessera.log.sqlite;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of one stored segment: the events of one append call (duplicates left out),
 * each as {@code [int idLength][messageId][int keyLength][partitionKey][int bodyLength][body]},
 * concatenated. One row per segment instead of one per event is what lets a commit write a few
 * sequential pages rather than one B-tree insert per event (log/RATIONALE.md).
 */
final class Segment {
    /** One event as stored: its messageId, partition key and {@code EventCodec} JSON. */
    record Entry(String messageId, String partitionKey, byte[] body) {}

    private Segment() {}

    /** The stored bytes of one event; built on the appender's thread. */
    static byte[] entry(String messageId, String partitionKey, byte[] body) {
        byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
        byte[] key = partitionKey.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + id.length + key.length + body.length)
                .putInt(id.length).put(id).putInt(key.length).put(key).putInt(body.length).put(body)
                .array();
    }

    static List<Entry> read(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        List<Entry> out = new ArrayList<>();
        while (b.hasRemaining()) {
            out.add(new Entry(string(b), string(b), bytes(b)));
        }
        return out;
    }

    /** The messageIds only, skipping bodies; for the start-up index scan and dedupe checks. */
    static List<String> messageIds(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        List<String> out = new ArrayList<>();
        while (b.hasRemaining()) {
            out.add(string(b));
            skip(b);
            skip(b);
        }
        return out;
    }

    private static void skip(ByteBuffer b) {
        int length = b.getInt();
        b.position(b.position() + length);
    }

    private static String string(ByteBuffer b) {
        return new String(bytes(b), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }
}
