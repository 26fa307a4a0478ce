package io.tessera.server.profile;

import io.tessera.server.ConfigLoader;
import io.tessera.store.postgres.PostgresHistoryRetention;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Profile history retention in PostgreSQL: {@code store.history-retention} ({@code TESSERA_STORE_HISTORY_RETENTION};
 * e.g. {@code 90d}; default {@code off}: every event is kept) deletes history rows whose event time
 * is older than that, every {@code store.history-retention-interval} (default {@code 10m}), in
 * batches of {@value #BATCH} rows, at most {@value #MAX_BATCHES} batches a pass (the next pass goes
 * on). Profiles' aggregates, traits and identities are not touched. The embedded (SQLite) store
 * keeps all history; the setting is ignored there with a warning.
 *
 * <p>Keep the retention above the longest segment window: a re-evaluation from history (a backfill,
 * a hand-over repair) sees only the events that are left.
 *
 * <p>Threading: one daemon thread runs the passes; {@link #close} stops it.
 */
public final class HistoryRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);
    static final int BATCH = 10_000;
    static final int MAX_BATCHES = 100;

    private final PostgresHistoryRetention store;
    private final Duration retention;
    private final InstantSource clock;
    private final int batch;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "history-retention");
        t.setDaemon(true);
        return t;
    });

    HistoryRetention(PostgresHistoryRetention store, Duration retention, InstantSource clock, int batch) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
        this.batch = batch;
    }

    /** The configured retention; empty when off. An unreadable or non-positive value fails start-up. */
    static Optional<Duration> retention(Function<String, Optional<String>> setting) {
        Optional<String> text = setting.apply("store.history-retention").map(String::strip).filter(t -> !t.isEmpty());
        if (text.isEmpty() || text.get().equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        Duration d = parse("store.history-retention", text.get());
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("setting store.history-retention must be positive or off, was '" + text.get() + "'");
        }
        return Optional.of(d);
    }

    private static Duration parse(String key, String text) {
        try {
            return ConfigLoader.duration(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting " + key + " must be a duration (e.g. 90d, 12h) or off, was '" + text + "'", e);
        }
    }

    /**
     * Starts the schedule when a retention is configured and the history is in PostgreSQL
     * ({@code store} present); empty otherwise.
     */
    public static Optional<HistoryRetention> start(Optional<PostgresHistoryRetention> store,
                                                   Function<String, Optional<String>> setting, InstantSource clock) {
        Optional<Duration> retention = retention(setting);
        if (retention.isEmpty()) {
            return Optional.empty();
        }
        if (store.isEmpty()) {
            LOG.atWarn().setMessage("store.history-retention applies to PostgreSQL (mode: cluster) only; the embedded store keeps all history").log();
            return Optional.empty();
        }
        Duration every = setting.apply("store.history-retention-interval").map(v -> parse("store.history-retention-interval", v))
                .orElse(Duration.ofMinutes(10));
        HistoryRetention r = new HistoryRetention(store.get(), retention.get(), clock, BATCH);
        r.schedule.scheduleWithFixedDelay(r::passLogged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.of(r);
    }

    /**
     * One pass: batches until one is short (nothing older is left), another node holds the
     * deletion, or {@value #MAX_BATCHES} batches ran. Returns the rows deleted.
     */
    long pass() {
        java.time.Instant cutoff = clock.instant().minus(retention);
        long deleted = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            PostgresHistoryRetention.Batch b = store.deleteBatch(cutoff, batch);
            deleted += b.deleted();
            if (b.skipped() || b.deleted() < batch) {
                break;
            }
        }
        return deleted;
    }

    private void passLogged() {
        try {
            long deleted = pass();
            if (deleted > 0) {
                LOG.atInfo().setMessage("history retention").addKeyValue("deleted", deleted).addKeyValue("retention", retention).log();
            }
        } catch (RuntimeException outage) {
            LOG.atWarn().setMessage("history retention pass failed; retried at the next").setCause(outage).log();
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
