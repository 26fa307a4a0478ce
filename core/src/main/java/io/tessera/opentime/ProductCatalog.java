package io.tessera.opentime;

import java.util.Optional;

/** Port: live price and stock of one product ({@link DataClass#PRICES}). */
public interface ProductCatalog {

    SourceAnswer<Optional<ProductOffer>> offer(String productId);
}
