package io.tessera.opentime;

import java.time.Instant;
import java.util.Set;

/** Where a feed field's value comes from. Each source reads exactly one declared item. */
public sealed interface FieldSource {

    /** One profile trait, e.g. {@code loyaltyPoints}. */
    record Trait(String trait) implements FieldSource {}

    /** The most recently viewed product with its live price and stock (an object). */
    record LastViewed(Set<ProductAttribute> attributes) implements FieldSource {
        public LastViewed {
            attributes = Set.copyOf(attributes);
        }
    }

    /** Up to {@code count} recommended products that are in stock now (a list of objects). */
    record Recommended(int count, Set<ProductAttribute> attributes) implements FieldSource {
        public Recommended {
            if (count < 1 || count > 20) {
                throw new IllegalArgumentException("recommended count must be 1..20, was " + count);
            }
            attributes = Set.copyOf(attributes);
        }
    }

    /** Whole seconds left until {@code until}, never negative. */
    record Countdown(Instant until) implements FieldSource {}
}
