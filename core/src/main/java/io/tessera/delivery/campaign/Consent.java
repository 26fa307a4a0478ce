package io.tessera.delivery.campaign;

import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a profile may get a campaign of a subscription topic, from the profile's trait
 * {@code topic.<key>}: {@code true} / {@code "subscribed"} means subscribed, {@code false} /
 * {@code "unsubscribed"} means unsubscribed, anything else (or no trait) means "never said".
 * Unsubscribing from everything is the suppression list's job, not a topic's.
 */
public final class Consent {

    /** Skip codes recorded in the send ledger. */
    public static final String UNSUBSCRIBED = "unsubscribed_topic";
    public static final String NOT_SUBSCRIBED = "not_subscribed_topic";

    private Consent() {
    }

    /** The skip code when the profile must not get a campaign of {@code topic}; empty when it may. */
    public static Optional<String> skip(Optional<Campaign.Topic> topic, Profile profile) {
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        Optional<Boolean> state = state(profile, topic.get().key());
        if (state.isPresent() && !state.get()) {
            return Optional.of(UNSUBSCRIBED);
        }
        if (topic.get().optIn() && state.isEmpty()) {
            return Optional.of(NOT_SUBSCRIBED);
        }
        return Optional.empty();
    }

    /** The profile's stated subscription to a topic: subscribed, unsubscribed, or never said (empty). */
    public static Optional<Boolean> state(Profile profile, String topicKey) {
        TraitValue t = profile.traits().get(Campaign.Topic.traitOf(topicKey));
        if (t == null || t.value() == null) {
            return Optional.empty();
        }
        return switch (t.value()) {
            case Boolean b -> Optional.of(b);
            case String s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "subscribed", "yes" -> Optional.of(true);
                case "false", "unsubscribed", "no" -> Optional.of(false);
                default -> Optional.empty();
            };
            default -> Optional.empty();
        };
    }
}
