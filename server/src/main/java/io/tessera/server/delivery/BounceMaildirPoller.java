package io.tessera.server.delivery;

import io.tessera.delivery.bounce.BounceMailbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the bounce Maildir ({@code bounces.maildir}, every {@code bounces.poll-seconds}, default 60)
 * while the server runs: each new message is parsed and its bounces recorded, then moved to
 * {@code cur/} (see {@link BounceMailbox#pollNew}). A failing poll is logged and retried next time.
 * Owns one scheduler thread; {@link #close} stops it.
 */
public final class BounceMaildirPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BounceMaildirPoller.class);

    private final BounceMailbox mailbox;
    private final Path maildir;
    private final Duration every;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bounce-maildir").daemon().factory());

    public BounceMaildirPoller(BounceMailbox mailbox, Path maildir, Duration every) {
        this.mailbox = mailbox;
        this.maildir = maildir;
        this.every = every;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::pollOnce, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void pollOnce() {
        try {
            BounceMailbox.Summary s = mailbox.pollNew(maildir);
            if (s.messages() > 0) {
                LOG.info("bounce maildir {}: {} messages, {} hard, {} soft, {} complaints, {} not reports", maildir,
                        s.messages(), s.hard(), s.soft(), s.complaints(), s.skipped().size());
            }
        } catch (RuntimeException e) {
            LOG.warn("bounce maildir {}: poll failed, retrying in {}", maildir, every, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
