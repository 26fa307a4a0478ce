package io.tessera.server.opentime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed one-minute windows of request counts per key (a token, a client address). A key's window
 * starts at its first request and its count is dropped a minute later; at most {@code maxKeys}
 * windows are kept, the coldest evicted first. Thread-safe.
 */
final class RequestLimits {
    private final int perMinute;
    private final Cache<String, AtomicInteger> windows;

    RequestLimits(int perMinute, int maxKeys) {
        this.perMinute = perMinute;
        this.windows = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).maximumSize(maxKeys).build();
    }

    boolean tryAcquire(String key) {
        return windows.get(key, k -> new AtomicInteger()).incrementAndGet() <= perMinute;
    }
}
