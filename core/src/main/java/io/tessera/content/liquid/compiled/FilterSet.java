package io.tessera.content.liquid.compiled;

import java.util.HashMap;
import java.util.Map;

/**
 * The filters a dialect knows, each with how many positional arguments it takes (checked when a
 * template is parsed: a wrong count is an error, as in Shopify's strict mode). Immutable.
 */
public final class FilterSet {

    /** One filter: its positional-argument range and its function. */
    public record Def(String name, int minArgs, int maxArgs, Filter fn) {}

    private final Map<String, Def> defs;

    private FilterSet(Map<String, Def> defs) {
        this.defs = Map.copyOf(defs);
    }

    /** Shopify's standard filters. */
    public static FilterSet standard() {
        Builder b = new Builder();
        StringFilters.register(b);
        ListFilters.register(b);
        MathFilters.register(b);
        return b.build();
    }

    public Def get(String name) {
        return defs.get(name);
    }

    /** This set plus (or overriding with) the given filters. */
    public Builder extend() {
        Builder b = new Builder();
        b.defs.putAll(defs);
        return b;
    }

    /** Collects filter definitions; not thread-safe. */
    public static final class Builder {
        private final Map<String, Def> defs = new HashMap<>();

        public Builder add(String name, int minArgs, int maxArgs, Filter fn) {
            defs.put(name, new Def(name, minArgs, maxArgs, fn));
            return this;
        }

        public FilterSet build() {
            return new FilterSet(defs);
        }
    }
}
