package io.tessera.delivery.dispatch;

import io.tessera.delivery.CommitPoint;
import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.Mailer;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.campaign.Campaign;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A campaign's throttle around the shared mailer: messages/s overall and per recipient domain.
 * Only messages that are actually sent take a slot (holdout and suppressed recipients do not).
 * Thread-safe.
 */
final class ThrottledMailer implements Mailer {

    private final Mailer delegate;
    private final Pacer overall;
    private final double perDomain;
    private final ConcurrentHashMap<String, Pacer> domains = new ConcurrentHashMap<>();

    ThrottledMailer(Mailer delegate, Campaign.Throttle throttle) {
        this.delegate = delegate;
        this.overall = new Pacer(throttle.perSecond());
        this.perDomain = throttle.perDomainPerSecond();
    }

    @Override
    public DeliveryVerdict send(OutgoingMessage message, CommitPoint commit) {
        if (perDomain > 0) {
            domains.computeIfAbsent(message.recipientDomain(), d -> new Pacer(perDomain)).acquire();
        }
        overall.acquire();
        return delegate.send(message, commit);
    }

    @Override
    public Optional<Boolean> wasAccepted(String messageId) {
        return delegate.wasAccepted(messageId);
    }
}
