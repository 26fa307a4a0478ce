package io.tessera.log.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this package stops a thread that polls a Kafka consumer (the definition feed, the send-job
 * queue, the segment-change relay and each segment-change subscriber): the caller first sets the
 * flag its loop checks, then {@link #stop} wakes the consumer out of {@code poll} (a
 * {@code WakeupException} there ends the loop), runs the owner's own wake-up (a relay waiting on a
 * signal), and waits a bounded time for the thread to end. The thread closes its consumer itself
 * on the way out: a {@code KafkaConsumer} may only be used by one thread, and {@code wakeup} is its
 * one thread-safe method.
 */
final class ConsumerThreads {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerThreads.class);

    private ConsumerThreads() {
    }

    /**
     * @param thread   the polling thread; null when it was never started
     * @param consumer its consumer; null when the thread has not created it (yet)
     * @param wake     anything else the loop may be waiting on
     * @param wait     how long to wait for the thread (it finishes the work in hand first)
     */
    static void stop(Thread thread, Consumer<?, ?> consumer, Runnable wake, Duration wait) {
        if (consumer != null) {
            consumer.wakeup();
        }
        wake.run();
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            if (!thread.join(wait)) {
                LOG.atWarn().setMessage("Kafka consumer thread did not stop in time").addKeyValue("thread", thread.getName())
                        .addKeyValue("waited", wait).log();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
