package io.tessera.server.segment;

import io.tessera.segment.ModelScoring;
import io.tessera.server.ConfigLoader;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scoring jobs on one daemon thread: the RFM refresh every {@code segments.rfm.refresh}
 * (1h), the predictive rescore as time passes every {@code segments.predict.rescore} (1h) and the
 * BG/NBD + Gamma-Gamma refit every {@code segments.predict.refit} (24h). The first refresh and
 * fit run shortly after start, since scores live in memory. A period of {@code 0s} turns a job off.
 */
final class ScoreSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreSchedule.class);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "segment-scores");
        t.setDaemon(true);
        return t;
    });

    ScoreSchedule(ModelScoring scoring, Function<String, Optional<String>> settings) {
        schedule("RFM refresh", scoring::refreshRfm, period(settings, "segments.rfm.refresh", Duration.ofHours(1)), Duration.ofSeconds(5));
        schedule("model refit", scoring::refit, period(settings, "segments.predict.refit", Duration.ofHours(24)), Duration.ofSeconds(10));
        schedule("predictive rescore", scoring::rescorePredicted, period(settings, "segments.predict.rescore", Duration.ofHours(1)),
                period(settings, "segments.predict.rescore", Duration.ofHours(1)));
    }

    private static Duration period(Function<String, Optional<String>> settings, String key, Duration fallback) {
        return settings.apply(key).map(ConfigLoader::duration).orElse(fallback);
    }

    private void schedule(String what, Supplier<?> job, Duration period, Duration first) {
        if (period.isZero()) {
            return;
        }
        thread.scheduleWithFixedDelay(() -> {
            try {
                long t0 = System.nanoTime();
                Object result = job.get();
                LOG.info("{}: {} in {} ms", what, result, (System.nanoTime() - t0) / 1_000_000);
            } catch (RuntimeException e) {
                // An outage (the database): scores keep their last values; the next period retries.
                LOG.error("{} failed; retrying in {}", what, period, e);
            }
        }, Math.min(first.toMillis(), period.toMillis()), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
