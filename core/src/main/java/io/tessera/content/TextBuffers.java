package io.tessera.content;

/**
 * Per-thread reusable UTF-16 {@link StringBuilder}s for the per-message HTML passes: each message
 * otherwise allocated (and zeroed) a 64 KB body buffer and a finisher buffer of the message's size
 * (JFR, docs/BENCHMARKS.md "Delivery CPU, session 7"). A builder is taken for one pass and given
 * back after its {@code toString()}; one grown past {@link #KEEP_AT_MOST} chars is not kept.
 *
 * <p>Threading: each platform thread has its own free builder; a nested take on the same thread
 * (the builder is out) gets a new one, so sharing an instance between threads or passes is safe.
 * A virtual thread (an HTTP request's) always gets a new one and keeps none: it lives for one
 * task, so keeping would only pin the builder to it (the rule of the delivery encoders too).
 * Builders start UTF-16: the renderer's markers are not Latin-1, and inflating a half-full
 * buffer copies it.
 */
final class TextBuffers {

    static final int KEEP_AT_MOST = 256 * 1024;

    private final ThreadLocal<StringBuilder[]> free = ThreadLocal.withInitial(() -> new StringBuilder[1]);

    /** An empty UTF-16 builder with room for {@code capacity} chars: this thread's free one, or a new one. */
    StringBuilder take(int capacity) {
        if (Thread.currentThread().isVirtual()) {
            return utf16(capacity);
        }
        StringBuilder[] slot = free.get();
        StringBuilder b = slot[0];
        if (b == null) {
            return utf16(capacity);
        }
        slot[0] = null;
        b.setLength(0);
        b.ensureCapacity(capacity);
        return b;
    }

    /** Hands {@code b} back for this thread's next {@link #take}; its content is dropped then. */
    void give(StringBuilder b) {
        if (b.capacity() <= KEEP_AT_MOST && !Thread.currentThread().isVirtual()) {
            free.get()[0] = b;
        }
    }

    /** A new empty builder that is UTF-16 from the start, sized after the switch (not allocated twice). */
    static StringBuilder utf16(int capacity) {
        StringBuilder b = new StringBuilder(1).append('\u0100');
        b.setLength(0);
        b.ensureCapacity(capacity);
        return b;
    }
}
