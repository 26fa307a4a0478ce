package io.tessera.opentime;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One value a template's feed may reveal: its name in the feed, where it comes from, its data
 * class (which sets how stale it may be) and the fallback served when the source is slow, down
 * or too stale. A fallback is mandatory so that a feed never answers with an empty block, and it
 * may only contain the attributes the field declares, so that not even a fallback reveals more.
 */
public record FeedField(String name, FieldSource source, DataClass dataClass, Object fallback) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    public FeedField {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a feed field name is a letter then letters, digits or _: " + name);
        }
        if (fallback == null) {
            throw new IllegalArgumentException("feed field " + name + " needs a fallback");
        }
        DataClass implied = switch (source) {
            case FieldSource.Trait t -> dataClass == DataClass.CLOCK || dataClass == DataClass.PRICES ? null : dataClass;
            case FieldSource.LastViewed l -> DataClass.BROWSING;
            case FieldSource.Recommended r -> DataClass.RECOMMENDATIONS;
            case FieldSource.Countdown c -> DataClass.CLOCK;
        };
        if (implied != dataClass) {
            throw new IllegalArgumentException("feed field " + name + ": " + source.getClass().getSimpleName()
                    + " cannot be of data class " + dataClass);
        }
        checkFallbackShape(name, source, fallback);
    }

    public static FeedField trait(String name, String trait, DataClass dataClass, Object fallback) {
        return new FeedField(name, new FieldSource.Trait(trait), dataClass, fallback);
    }

    public static FeedField lastViewed(String name, Set<ProductAttribute> attributes, Map<String, ?> fallback) {
        return new FeedField(name, new FieldSource.LastViewed(attributes), DataClass.BROWSING, fallback);
    }

    public static FeedField recommended(String name, int count, Set<ProductAttribute> attributes,
                                        List<? extends Map<String, ?>> fallback) {
        return new FeedField(name, new FieldSource.Recommended(count, attributes), DataClass.RECOMMENDATIONS, fallback);
    }

    public static FeedField countdown(String name, java.time.Instant until) {
        return new FeedField(name, new FieldSource.Countdown(until), DataClass.CLOCK, 0);
    }

    private static void checkFallbackShape(String name, FieldSource source, Object fallback) {
        switch (source) {
            case FieldSource.Trait t -> requireScalar(name, fallback);
            case FieldSource.Countdown c -> requireScalar(name, fallback);
            case FieldSource.LastViewed l -> requireProduct(name, fallback, l.attributes());
            case FieldSource.Recommended r -> {
                if (!(fallback instanceof List<?> list)) {
                    throw new IllegalArgumentException("feed field " + name + ": fallback must be a list of products");
                }
                list.forEach(p -> requireProduct(name, p, r.attributes()));
            }
        }
    }

    private static void requireScalar(String name, Object v) {
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw new IllegalArgumentException("feed field " + name + ": fallback must be a string, number or boolean");
        }
    }

    private static void requireProduct(String name, Object v, Set<ProductAttribute> attributes) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("feed field " + name + ": fallback must be a product object");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            ProductAttribute a = ProductAttribute.BY_JSON_NAME.get(String.valueOf(e.getKey()));
            if (a == null || !attributes.contains(a)) {
                throw new IllegalArgumentException("feed field " + name + ": fallback reveals undeclared attribute " + e.getKey());
            }
            requireScalar(name, e.getValue());
        }
    }
}
