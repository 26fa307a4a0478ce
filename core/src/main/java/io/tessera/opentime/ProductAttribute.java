package io.tessera.opentime;

import java.util.Map;

/** The attributes of a {@link ProductOffer} a feed field may reveal, by their JSON name. */
public enum ProductAttribute {
    ID("id"), NAME("name"), PRICE("price"), CURRENCY("currency"), IN_STOCK("inStock"), URL("url"), IMAGE("image");

    private final String jsonName;

    ProductAttribute(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    Object valueOf(ProductOffer offer) {
        return switch (this) {
            case ID -> offer.id();
            case NAME -> offer.name();
            case PRICE -> offer.price();
            case CURRENCY -> offer.currency();
            case IN_STOCK -> offer.inStock();
            case URL -> offer.url();
            case IMAGE -> offer.image();
        };
    }

    static final Map<String, ProductAttribute> BY_JSON_NAME = Map.of(
            "id", ID, "name", NAME, "price", PRICE, "currency", CURRENCY, "inStock", IN_STOCK, "url", URL, "image", IMAGE);
}
