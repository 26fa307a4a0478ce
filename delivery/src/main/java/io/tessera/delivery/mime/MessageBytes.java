package io.tessera.delivery.mime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one message being assembled: a growable array written without locks (unlike
 * {@link java.io.ByteArrayOutputStream}, whose writes are synchronized) and handed over without a
 * copy when the size estimate was exact. Confined to one {@link MimeAssembler#assemble} call.
 */
final class MessageBytes {

    byte[] buf;
    int size;

    MessageBytes(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    /** Makes room for {@code more} bytes after {@link #size}. */
    void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    /** Appends header text as ISO-8859-1 (headers and boundaries are ASCII; anything else goes through the charset). */
    void ascii(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 256) {
                write(s.getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            b[at + i] = (byte) c;
        }
        size += n;
    }

    void write(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }
}
