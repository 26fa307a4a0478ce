package io.tessera.content.recommend;

import java.util.Map;
import java.util.Optional;

/**
 * What recommendations need to know about items: the category (for the popular-in-category
 * fallback), stock (out-of-stock items are never recommended) and the fields templates show.
 */
public interface Catalog {

    Optional<String> category(String item);

    boolean inStock(String item);

    /** The item as templates see it ({@code id}, {@code title}, {@code price}, {@code url}, {@code image} …). */
    Map<String, Object> describe(String item);

    /** Every item in stock, no categories, described by id only. */
    Catalog OPEN = new Catalog() {
        @Override
        public Optional<String> category(String item) {
            return Optional.empty();
        }

        @Override
        public boolean inStock(String item) {
            return true;
        }

        @Override
        public Map<String, Object> describe(String item) {
            return Map.of("id", item);
        }
    };
}
