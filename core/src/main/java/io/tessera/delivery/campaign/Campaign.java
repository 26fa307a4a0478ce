package io.tessera.delivery.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A campaign definition: who gets it, what they get, from whom, when and how fast. Immutable; a
 * change is a new definition under the same key.
 *
 * @param key             stable identifier, used in the ledger, Message-IDs and tracking
 * @param name            human label
 * @param audience        the segment to send to, optionally minus another
 * @param template        the template key and (optionally pinned) version
 * @param sender          From address and display name
 * @param schedule        now, at a time, or recurring
 * @param localSendTime   when present, each recipient gets it at this wall-clock time in their
 *                        own time zone (trait {@code timezone}); otherwise as scheduled
 * @param throttle        messages/s overall and per recipient domain (0 = unlimited)
 * @param holdoutPercent  share of the audience (0–100) kept as a control group, by profile id
 * @param variants        A/B variants with weights; empty means one variant named "A"
 * @param trigger         when present the campaign is triggered by segment entry, not scheduled
 * @param frequencyCap    at most N messages to one profile per period across all campaigns
 * @param quietHours      local hours in which nothing is sent; sends move to the end of them
 * @param conversionDays  an order within this many days after the last click counts as a conversion
 * @param topic           the subscription topic the campaign belongs to; recipients who unsubscribed
 *                        from it (or, for an opt-in topic, never subscribed) are skipped
 */
public record Campaign(
        String key,
        String name,
        Audience audience,
        TemplateRef template,
        Sender sender,
        Schedule schedule,
        Optional<LocalTime> localSendTime,
        Throttle throttle,
        double holdoutPercent,
        List<Variant> variants,
        Optional<Trigger> trigger,
        Optional<FrequencyCap> frequencyCap,
        Optional<QuietHours> quietHours,
        int conversionDays,
        Optional<Topic> topic) {

    public Campaign {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(localSendTime, "localSendTime");
        Objects.requireNonNull(throttle, "throttle");
        variants = variants.isEmpty() ? List.of(Variant.single()) : List.copyOf(variants);
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(frequencyCap, "frequencyCap");
        Objects.requireNonNull(quietHours, "quietHours");
        if (holdoutPercent < 0 || holdoutPercent > 100) {
            throw new IllegalArgumentException("holdoutPercent must be within 0..100: " + holdoutPercent);
        }
        Objects.requireNonNull(topic, "topic");
    }

    /** A campaign without a subscription topic. */
    public Campaign(String key, String name, Audience audience, TemplateRef template, Sender sender, Schedule schedule,
                    Optional<LocalTime> localSendTime, Throttle throttle, double holdoutPercent, List<Variant> variants,
                    Optional<Trigger> trigger, Optional<FrequencyCap> frequencyCap, Optional<QuietHours> quietHours,
                    int conversionDays) {
        this(key, name, audience, template, sender, schedule, localSendTime, throttle, holdoutPercent, variants, trigger,
                frequencyCap, quietHours, conversionDays, Optional.empty());
    }

    /** A one-shot campaign with defaults: send now, no throttle, no holdout, one variant. */
    public static Campaign simple(String key, String segment, String templateKey, String fromAddress) {
        return new Campaign(key, key, new Audience(segment, Optional.empty()), new TemplateRef(templateKey, Optional.empty()),
                new Sender(fromAddress, Optional.empty()), new Schedule.Now(), Optional.empty(), Throttle.UNLIMITED, 0,
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), 7);
    }

    public Campaign withHoldout(double percent) {
        return new Campaign(key, name, audience, template, sender, schedule, localSendTime, throttle, percent, variants,
                trigger, frequencyCap, quietHours, conversionDays, topic);
    }

    public Campaign withVariants(List<Variant> newVariants) {
        return new Campaign(key, name, audience, template, sender, schedule, localSendTime, throttle, holdoutPercent,
                newVariants, trigger, frequencyCap, quietHours, conversionDays, topic);
    }

    public Campaign withThrottle(Throttle newThrottle) {
        return new Campaign(key, name, audience, template, sender, schedule, localSendTime, newThrottle, holdoutPercent,
                variants, trigger, frequencyCap, quietHours, conversionDays, topic);
    }

    public Campaign withTiming(Optional<LocalTime> newLocalSendTime, Optional<QuietHours> newQuietHours,
                               Optional<FrequencyCap> newCap) {
        return new Campaign(key, name, audience, template, sender, schedule, newLocalSendTime, throttle, holdoutPercent,
                variants, trigger, newCap, newQuietHours, conversionDays, topic);
    }

    public Campaign withTrigger(Optional<Trigger> newTrigger) {
        return new Campaign(key, name, audience, template, sender, schedule, localSendTime, throttle, holdoutPercent,
                variants, newTrigger, frequencyCap, quietHours, conversionDays, topic);
    }

    public Campaign withTopic(Optional<Topic> newTopic) {
        return new Campaign(key, name, audience, template, sender, schedule, localSendTime, throttle, holdoutPercent,
                variants, trigger, frequencyCap, quietHours, conversionDays, newTopic);
    }

    /** The segment to send to, minus the members of {@code excluding}. */
    public record Audience(String segment, Optional<String> excluding) {}

    /** A template key; an empty version means "the latest version when the message is rendered". */
    public record TemplateRef(String key, Optional<Integer> version) {}

    public record Sender(String address, Optional<String> displayName) {
        /** The From header value. */
        public String mailbox() {
            return displayName.map(n -> "\"" + n.replace("\"", "") + "\" <" + address + ">").orElse(address);
        }
    }

    /** Messages per second overall and per recipient domain; 0 means unlimited. */
    public record Throttle(double perSecond, double perDomainPerSecond) {
        public static final Throttle UNLIMITED = new Throttle(0, 0);
    }

    /**
     * One arm of an A/B test. {@code subject} overrides the template's subject (it is rendered as
     * a template too); {@code template} overrides the campaign's template.
     */
    public record Variant(String name, int weight, Optional<String> subject, Optional<TemplateRef> template) {
        public static Variant single() {
            return new Variant("A", 1, Optional.empty(), Optional.empty());
        }
    }

    /** Send {@code delay} after a profile enters {@code segment}, if it is still a member then. */
    public record Trigger(String segment, Duration delay) {}

    /** At most {@code max} messages per profile per {@code period}, counted across all campaigns. */
    public record FrequencyCap(int max, Duration period) {}

    /** Local wall-clock hours with no sending, e.g. 21:00–08:00 (may wrap midnight). */
    public record QuietHours(LocalTime start, LocalTime end) {}

    /**
     * A subscription topic ("news", "offers"). A profile's trait {@code topic.<key>} says whether it
     * is subscribed ({@code true}) or unsubscribed ({@code false}). An opt-in topic mails only
     * profiles with {@code true}; an opt-out topic mails everyone except those with {@code false}.
     */
    public record Topic(String key, boolean optIn) {
        public Topic {
            Objects.requireNonNull(key, "key");
        }

        /** The profile trait holding the subscription state of this topic. */
        public String trait() {
            return traitOf(key);
        }

        public static String traitOf(String topicKey) {
            return "topic." + topicKey;
        }
    }

    /** When a scheduled campaign runs. */
    public sealed interface Schedule {
        record Now() implements Schedule {}

        record At(Instant at) implements Schedule {}

        /** Runs at {@code first} and then every {@code every}; each run is its own ledger scope. */
        record Recurring(Instant first, Duration every) implements Schedule {}
    }
}
