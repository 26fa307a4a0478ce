package io.tessera.server.opentime;

import io.tessera.opentime.DataClass;
import io.tessera.opentime.StalenessLimits;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Open-time configuration, built once at start-up (tessera.yaml {@code opentime.*}, overridable by
 * environment variables) and validated here.
 *
 * @param staleness       oldest answer served per data class
 * @param sourceTimeout   how long one source lookup may take before its fallback is served
 * @param perTokenPerMinute requests one token may make per minute (an open re-fetches, so > 1)
 * @param perIpPerMinute  requests one client address may make per minute (guards enumeration)
 * @param ampSenders      sender addresses (or {@code @domain}) whose AMP emails may call the feed
 * @param ampOrigins      email-client origins allowed by the version-1 CORS protocol
 */
public record OpenTimeSettings(StalenessLimits staleness, Duration sourceTimeout, int perTokenPerMinute, int perIpPerMinute,
                               Set<String> ampSenders, Set<String> ampOrigins) {

    public static final List<String> DEFAULT_AMP_ORIGINS = List.of(
            "https://mail.google.com", "https://outlook.live.com", "https://outlook.office.com",
            "https://mail.yahoo.com", "https://e.mail.ru", "https://amp.gmail.dev", "https://playground.amp.dev");

    public OpenTimeSettings {
        if (sourceTimeout.isNegative() || sourceTimeout.isZero() || sourceTimeout.toMillis() > 5_000) {
            throw new IllegalArgumentException("opentime.source-timeout must be within (0, 5s]");
        }
        if (perTokenPerMinute < 1 || perIpPerMinute < 1) {
            throw new IllegalArgumentException("open-time rate limits must be at least 1 per minute");
        }
        ampSenders = ampSenders.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        ampOrigins = Set.copyOf(ampOrigins);
    }

    /**
     * From configuration: {@code opentime.staleness.<class>} (profile, browsing, prices, loyalty,
     * recommendations; durations such as {@code 15m}), {@code opentime.source-timeout},
     * {@code opentime.rate.per-token} and {@code opentime.rate.per-ip} (per minute),
     * {@code opentime.amp-senders} and {@code opentime.amp-origins} (comma-separated).
     */
    public static OpenTimeSettings from(Function<String, Optional<String>> setting, Function<String, Duration> duration) {
        OpenTimeSettings d = defaults(Set.of());
        StalenessLimits limits = StalenessLimits.defaults();
        for (DataClass dc : DataClass.values()) {
            if (dc != DataClass.CLOCK) {
                Optional<Duration> v = setting.apply("opentime.staleness." + dc.name().toLowerCase(Locale.ROOT)).map(duration);
                if (v.isPresent()) {
                    limits = limits.with(dc, v.get());
                }
            }
        }
        return new OpenTimeSettings(limits,
                setting.apply("opentime.source-timeout").map(duration).orElse(d.sourceTimeout()),
                setting.apply("opentime.rate.per-token").map(s -> Integer.parseInt(s.trim())).orElse(d.perTokenPerMinute()),
                setting.apply("opentime.rate.per-ip").map(s -> Integer.parseInt(s.trim())).orElse(d.perIpPerMinute()),
                setting.apply("opentime.amp-senders").map(OpenTimeSettings::list).orElse(Set.of()),
                setting.apply("opentime.amp-origins").map(OpenTimeSettings::list).orElse(d.ampOrigins()));
    }

    private static Set<String> list(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public static OpenTimeSettings defaults(Set<String> ampSenders) {
        return new OpenTimeSettings(StalenessLimits.defaults(), Duration.ofMillis(150), 120, 1200, ampSenders,
                Set.copyOf(DEFAULT_AMP_ORIGINS));
    }

    public OpenTimeSettings withRateLimits(int perToken, int perIp) {
        return new OpenTimeSettings(staleness, sourceTimeout, perToken, perIp, ampSenders, ampOrigins);
    }

    public OpenTimeSettings withSourceTimeout(Duration timeout) {
        return new OpenTimeSettings(staleness, timeout, perTokenPerMinute, perIpPerMinute, ampSenders, ampOrigins);
    }

    public OpenTimeSettings withStaleness(StalenessLimits limits) {
        return new OpenTimeSettings(limits, sourceTimeout, perTokenPerMinute, perIpPerMinute, ampSenders, ampOrigins);
    }

    boolean senderAllowed(String sender) {
        String s = sender.toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        return at > 0 && at < s.length() - 1 && s.indexOf('@') == at
                && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"' && c != ',')
                && (ampSenders.contains(s) || ampSenders.contains(s.substring(at)));
    }
}
