package io.tessera.server.opentime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.opentime.FeedSources;
import io.tessera.opentime.SourceAnswer;
import io.tessera.opentime.StalenessLimits;
import io.tessera.testkit.InMemoryFeedSources;
import io.tessera.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachedFeedSourcesTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
    final InMemoryFeedSources backend = new InMemoryFeedSources(clock).offer(OpenTimeFixture.offer("sku1", 3));
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final CachedFeedSources cached = new CachedFeedSources(new FeedSources(backend, backend, backend),
            StalenessLimits.defaults(), Duration.ofMillis(100), clock, metrics);

    @AfterEach
    void close() {
        cached.close();
    }

    double failures(String reason) {
        var c = metrics.find("tessera.opentime.source.failures").tags("source", "catalog", "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aPriceIsServedFromCacheAndRefreshedInTheBackgroundWithinItsMinute() {
        Instant t0 = clock.instant();
        assertThat(cached.offer("sku1")).isInstanceOf(SourceAnswer.Fresh.class);
        assertThat(cached.offer("sku1")).isEqualTo(cached.offer("sku1"));
        assertThat(backend.calls("catalog")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(40));  // past refresh-after-write (30 s), within the 1-minute limit
        assertThat(cached.offer("sku1")).isInstanceOf(SourceAnswer.Fresh.class);  // served at once, reload in the background
        await().until(() -> cached.offer("sku1") instanceof SourceAnswer.Fresh<?> f && f.asOf().equals(t0.plusSeconds(40)));
        assertThat(backend.calls("catalog")).isEqualTo(2);
    }

    @Test
    void aPriceIsNeverServedPastItsLimitEvenWhenTheSourceIsDown() {
        cached.offer("sku1");
        backend.setDown("catalog", true);
        clock.advance(Duration.ofSeconds(61));

        assertThat(cached.offer("sku1")).isInstanceOf(SourceAnswer.Unavailable.class);
        assertThat(failures("unavailable")).isEqualTo(1);
    }

    @Test
    void aSlowSourceAnswersUnavailableAtItsTimeLimitAndTheLateAnswerFillsTheCache() {
        backend.delay(400);
        assertThat(cached.offer("sku1")).isEqualTo(SourceAnswer.unavailable("timeout"));
        assertThat(failures("timeout")).isEqualTo(1);
    }

    @Test
    void aFailingSourceOpensItsCircuitAndIsNoLongerCalled() {
        backend.setDown("catalog", true);
        for (int i = 0; i < 30; i++) {
            cached.offer("sku" + i);
        }
        assertThat(backend.calls("catalog")).isLessThan(30);
        assertThat(failures("circuit_open")).isPositive();
    }
}
