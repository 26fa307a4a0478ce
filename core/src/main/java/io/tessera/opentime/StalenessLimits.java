package io.tessera.opentime;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The oldest an answer of each {@link DataClass} may be when a feed is served. Defaults: browsing
 * 15 min, prices 1 min, loyalty 1 h, profile 1 h, recommendations 15 min, clock 0. Configurable
 * per class (configuration keys {@code opentime.staleness.<class>}).
 */
public record StalenessLimits(Map<DataClass, Duration> limits) {

    public StalenessLimits {
        EnumMap<DataClass, Duration> all = new EnumMap<>(DataClass.class);
        all.putAll(defaultsMap());
        all.putAll(limits);
        all.values().forEach(d -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a staleness limit cannot be negative: " + d);
            }
        });
        limits = Map.copyOf(all);
    }

    public static StalenessLimits defaults() {
        return new StalenessLimits(Map.of());
    }

    public Duration limit(DataClass dataClass) {
        return limits.get(dataClass);
    }

    public StalenessLimits with(DataClass dataClass, Duration limit) {
        EnumMap<DataClass, Duration> copy = new EnumMap<>(limits);
        copy.put(dataClass, limit);
        return new StalenessLimits(copy);
    }

    private static Map<DataClass, Duration> defaultsMap() {
        return Map.of(
                DataClass.PROFILE, Duration.ofHours(1),
                DataClass.BROWSING, Duration.ofMinutes(15),
                DataClass.PRICES, Duration.ofMinutes(1),
                DataClass.LOYALTY, Duration.ofHours(1),
                DataClass.RECOMMENDATIONS, Duration.ofMinutes(15),
                DataClass.CLOCK, Duration.ZERO);
    }
}
