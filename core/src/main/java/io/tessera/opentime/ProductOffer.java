package io.tessera.opentime;

import java.math.BigDecimal;

/**
 * A product as the catalog sells it right now. {@code image} and {@code url} are absolute
 * HTTPS URLs; an image endpoint redirects only to images on the declaration's allowed hosts.
 */
public record ProductOffer(String id, String name, BigDecimal price, String currency, int stock,
                           String url, String image) {

    public boolean inStock() {
        return stock > 0;
    }
}
