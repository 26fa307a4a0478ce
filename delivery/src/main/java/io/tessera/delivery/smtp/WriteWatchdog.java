package io.tessera.delivery.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long one write to the relay may block: a socket whose write has been in progress for
 * longer than the timeout is closed, which makes the blocked write fail with a
 * {@link java.net.SocketException} (the message is then retried on a new connection, or counted
 * as unconfirmed if the final "." was already out — see {@link SmtpMailer}). A stuck write ends
 * within the timeout plus one tick (a quarter of the timeout, at most one second).
 *
 * <p>Why not Angus' own {@code mail.smtp.writetimeout}: it wraps every socket in a
 * {@code WriteTimeoutSocket} with a one-thread {@code ScheduledThreadPoolExecutor} per connection
 * and schedules, then cancels, a timer task around <em>every</em> socket write — each a hand-off
 * that wakes the connection's timer thread. In the delivery benchmark (16 connections, about eight
 * socket writes per message) the timer threads and the workers' extra system time came to about
 * 0.15–0.2 ms of CPU per message (per-thread CPU from /proc; docs/BENCHMARKS.md, "Write watchdog
 * instead of Angus' write timeout"; docs/adr/0004-smtp-write-path.md).
 * Here a write costs two volatile stores of {@link System#nanoTime()}, and one daemon thread per
 * mailer looks at the sockets a few times per timeout.
 *
 * <p>Sockets come from {@link #socketFactory()} (TCP_NODELAY on, see {@link NoDelaySocketFactory});
 * after STARTTLS the JDK's TLS socket writes through the plain socket's stream, so encrypted
 * sessions are watched too. Thread-safe: sockets are created and closed on any thread; the tick
 * runs on the watchdog's own thread.
 */
final class WriteWatchdog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteWatchdog.class);
    private static final long IDLE = Long.MIN_VALUE;

    private final long timeoutNanos;
    private final Set<WatchedSocket> sockets = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    WriteWatchdog(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("write timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(timeoutNanos / 4, TimeUnit.SECONDS.toNanos(1)));
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("smtp-write-watchdog-", 0).daemon().factory());
        ticker.scheduleWithFixedDelay(this::closeStuckSockets, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** Unconnected sockets with TCP_NODELAY, watched by this watchdog (what Angus' SocketFetcher asks for). */
    NoDelaySocketFactory socketFactory() {
        return new NoDelaySocketFactory(WatchedSocket::new);
    }

    /** How many sockets are open and watched now; for tests. */
    int watched() {
        return sockets.size();
    }

    private void closeStuckSockets() {
        long now = System.nanoTime();
        for (WatchedSocket s : sockets) {
            long since = s.writingSince;
            if (since != IDLE && now - since > timeoutNanos) {
                LOG.warn("SMTP write blocked for more than {} ms; closing the connection to {}",
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos), s.getRemoteSocketAddress());
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.debug("closing a stuck SMTP socket: {}", e.getMessage());
                }
            } else if (s.isClosed()) {
                sockets.remove(s);
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** A plain socket that notes when a write starts and ends, and is known to the watchdog while open. */
    private final class WatchedSocket extends Socket {
        /** {@link System#nanoTime()} when the write in progress started; {@link #IDLE} between writes. */
        volatile long writingSince = IDLE;
        private OutputStream out;

        WatchedSocket() {
            sockets.add(this);
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new WatchedOutput(super.getOutputStream());
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            sockets.remove(this);
            super.close();
        }

        private final class WatchedOutput extends OutputStream {
            private final OutputStream socketOut;

            WatchedOutput(OutputStream socketOut) {
                this.socketOut = socketOut;
            }

            @Override
            public void write(int b) throws IOException {
                writingSince = System.nanoTime();
                try {
                    socketOut.write(b);
                } finally {
                    writingSince = IDLE;
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writingSince = System.nanoTime();
                try {
                    socketOut.write(b, off, len);
                } finally {
                    writingSince = IDLE;
                }
            }

            @Override
            public void flush() throws IOException {
                socketOut.flush();
            }

            @Override
            public void close() throws IOException {
                WatchedSocket.this.close();
            }
        }
    }
}
