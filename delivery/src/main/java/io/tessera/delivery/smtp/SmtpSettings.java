package io.tessera.delivery.smtp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the relay and how hard to push it. Built by the server's typed configuration from
 * {@code TESSERA_SMTP_HOST/_PORT/_USERNAME/_PASSWORD/_STARTTLS}.
 *
 * @param connections           size of the connection pool
 * @param perDomainConcurrency  at most this many messages to one recipient domain in flight
 * @param maxAttempts           attempts per message on 4xx / connection failures (1 = no retry)
 * @param initialBackoff        wait before the second attempt; doubles each time up to {@code maxBackoff}
 * @param timeout               how long connecting, one reply, or one socket write may take
 * @param eightBitMime          send body parts 8bit instead of quoted-printable when the relay
 *                              advertises 8BITMIME (RFC 6152); off, every message is quoted-printable
 *                              (for DKIM-signed mail through hops that might downgrade 8bit:
 *                              docs/adr/0005-smtp-pipelining-and-8bitmime.md)
 */
public record SmtpSettings(String host, int port, Optional<String> username, Optional<String> password,
                           boolean startTls, int connections, int perDomainConcurrency, int maxAttempts,
                           Duration initialBackoff, Duration maxBackoff, Duration timeout,
                           boolean eightBitMime) {

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        if (connections < 1 || perDomainConcurrency < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("connections, perDomainConcurrency and maxAttempts must be >= 1");
        }
    }

    public static SmtpSettings of(String host, int port) {
        return new SmtpSettings(host, port, Optional.empty(), Optional.empty(), false, 4, 4, 3,
                Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(30), true);
    }

    public SmtpSettings withAuth(String user, String pass) {
        return new SmtpSettings(host, port, Optional.of(user), Optional.of(pass), startTls, connections,
                perDomainConcurrency, maxAttempts, initialBackoff, maxBackoff, timeout, eightBitMime);
    }

    public SmtpSettings withStartTls(boolean on) {
        return new SmtpSettings(host, port, username, password, on, connections, perDomainConcurrency, maxAttempts,
                initialBackoff, maxBackoff, timeout, eightBitMime);
    }

    public SmtpSettings withPool(int newConnections, int newPerDomain) {
        return new SmtpSettings(host, port, username, password, startTls, newConnections, newPerDomain, maxAttempts,
                initialBackoff, maxBackoff, timeout, eightBitMime);
    }

    /** @param newTimeout connect, read and write timeout of one SMTP step */
    public SmtpSettings withTimeout(Duration newTimeout) {
        return new SmtpSettings(host, port, username, password, startTls, connections, perDomainConcurrency, maxAttempts,
                initialBackoff, maxBackoff, newTimeout, eightBitMime);
    }

    public SmtpSettings withRetries(int attempts, Duration initial, Duration max) {
        return new SmtpSettings(host, port, username, password, startTls, connections, perDomainConcurrency, attempts,
                initial, max, timeout, eightBitMime);
    }

    /** @param on whether to send 8bit bodies to a relay that advertises 8BITMIME */
    public SmtpSettings withEightBitMime(boolean on) {
        return new SmtpSettings(host, port, username, password, startTls, connections, perDomainConcurrency, maxAttempts,
                initialBackoff, maxBackoff, timeout, on);
    }
}
