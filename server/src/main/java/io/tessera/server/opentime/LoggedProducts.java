package io.tessera.server.opentime;

import io.tessera.content.recommend.Catalog;
import io.tessera.content.recommend.Interaction;
import io.tessera.event.Event;
import io.tessera.event.EventBatchHandler;
import io.tessera.event.EventType;
import io.tessera.event.JsonValues;
import io.tessera.event.LoggedEvent;
import io.tessera.opentime.ProductCatalog;
import io.tessera.opentime.ProductOffer;
import io.tessera.opentime.SourceAnswer;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The product catalog open-time feeds read, and the interactions recommendations learn from,
 * both taken from the event log (the tracking API's e-commerce events: "Product Viewed",
 * "Product Added", "Product Clicked" carry one product in their properties, "Order Completed" a
 * {@code products} list; {@code product_id} or {@code sku}, {@code name}, {@code price},
 * {@code currency}, {@code url}, {@code image_url}, {@code category}, and {@code stock} when the
 * shop sends it). Entries loaded from a catalog file ({@link #putAll}) are authoritative: events
 * never overwrite them. A product known only from events and without a {@code stock} property is
 * taken as available.
 *
 * <p>Kept in memory and rebuilt from the beginning of the log at each start ({@link #resumeAfter}
 * answers -1): at most {@value #MAX_PRODUCTS} products and the {@value #MAX_INTERACTIONS} most
 * recent interactions. Threading: the log calls {@link #onBatch} from one thread per partition;
 * readers use the concurrent map; the interaction window is guarded by its own lock.
 */
public final class LoggedProducts implements EventBatchHandler, ProductCatalog, Catalog {
    static final int MAX_PRODUCTS = 200_000;
    static final int MAX_INTERACTIONS = 500_000;

    private record Known(ProductOffer offer, Optional<String> category, boolean fromFile) {}

    private final Map<String, Known> products = new ConcurrentHashMap<>();
    private final ArrayDeque<Interaction> interactions = new ArrayDeque<>();
    private final InstantSource clock;
    private long interactionsSeen;

    public LoggedProducts(InstantSource clock) {
        this.clock = clock;
    }

    /** Products from a catalog file: they win over what events say. */
    public void putAll(List<ProductOffer> offers, Map<String, String> categories) {
        for (ProductOffer o : offers) {
            products.put(o.id(), new Known(o, Optional.ofNullable(categories.get(o.id())), true));
        }
    }

    @Override
    public long resumeAfter(int partition) {
        return -1;
    }

    @Override
    public void onBatch(int partition, List<LoggedEvent> batch) {
        List<Interaction> seen = new ArrayList<>();
        for (LoggedEvent le : batch) {
            Event e = le.event();
            if (e.type() != EventType.TRACK) {
                continue;
            }
            Optional<String> user = e.userId().or(e::anonymousId);
            switch (e.name()) {
                case "Product Viewed", "Product Added", "Product Clicked" -> {
                    Optional<String> id = learn(e.properties());
                    if (e.name().equals("Product Viewed") && id.isPresent() && user.isPresent()) {
                        seen.add(new Interaction(user.get(), id.get(), Interaction.Kind.VIEW, e.timestamp()));
                    }
                }
                case "Order Completed" -> {
                    if (JsonValues.at(e.properties(), "products").orElse(List.of()) instanceof List<?> items) {
                        for (Object item : items) {
                            if (item instanceof Map<?, ?> m) {
                                @SuppressWarnings("unchecked")
                                Optional<String> id = learn((Map<String, Object>) m);
                                if (id.isPresent() && user.isPresent()) {
                                    seen.add(new Interaction(user.get(), id.get(), Interaction.Kind.PURCHASE, e.timestamp()));
                                }
                            }
                        }
                    }
                }
                default -> { }
            }
        }
        synchronized (interactions) {
            for (Interaction x : seen) {
                interactions.addLast(x);
                if (interactions.size() > MAX_INTERACTIONS) {
                    interactions.removeFirst();
                }
            }
            interactionsSeen += seen.size();
        }
    }

    /** A copy of the interaction window, oldest first. */
    public List<Interaction> interactions() {
        synchronized (interactions) {
            return List.copyOf(interactions);
        }
    }

    /** How many interactions were ever seen: tells a model whether it is worth retraining. */
    public long interactionsSeen() {
        synchronized (interactions) {
            return interactionsSeen;
        }
    }

    @Override
    public SourceAnswer<Optional<ProductOffer>> offer(String productId) {
        return SourceAnswer.of(Optional.ofNullable(products.get(productId)).map(Known::offer), clock.instant());
    }

    @Override
    public Optional<String> category(String item) {
        return Optional.ofNullable(products.get(item)).flatMap(Known::category);
    }

    @Override
    public boolean inStock(String item) {
        Known k = products.get(item);
        return k != null && k.offer().inStock();
    }

    @Override
    public Map<String, Object> describe(String item) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", item);
        Known k = products.get(item);
        if (k != null) {
            out.put("title", k.offer().name());
            out.put("price", k.offer().price());
            out.put("currency", k.offer().currency());
            out.put("url", k.offer().url());
            out.put("image", k.offer().image());
            out.put("stock", k.offer().stock());
            k.category().ifPresent(c -> out.put("category", c));
        }
        return out;
    }

    /** The product id of a tracking-API product object: {@code product_id}, else {@code sku}. */
    static Optional<String> productId(Map<String, Object> p) {
        return JsonValues.at(p, "product_id").or(() -> JsonValues.at(p, "sku"))
                .map(String::valueOf).filter(s -> !s.isBlank() && s.length() <= 128);
    }

    private Optional<String> learn(Map<String, Object> p) {
        Optional<String> id = productId(p);
        if (id.isEmpty()) {
            return id;
        }
        Known before = products.get(id.get());
        if ((before != null && before.fromFile()) || (before == null && products.size() >= MAX_PRODUCTS)) {
            return id;
        }
        ProductOffer was = before == null ? null : before.offer();
        ProductOffer now = new ProductOffer(id.get(),
                text(p, "name").orElse(was == null ? id.get() : was.name()),
                JsonValues.at(p, "price").flatMap(JsonValues::asDecimal).orElse(was == null ? BigDecimal.ZERO : was.price()),
                text(p, "currency").orElse(was == null ? "" : was.currency()),
                JsonValues.at(p, "stock").flatMap(JsonValues::asDecimal).map(BigDecimal::intValue)
                        .orElse(was == null ? 1 : was.stock()),
                text(p, "url").orElse(was == null ? "" : was.url()),
                text(p, "image_url").or(() -> text(p, "image")).orElse(was == null ? "" : was.image()));
        products.put(id.get(), new Known(now, text(p, "category").or(() -> before == null ? Optional.empty() : before.category()), false));
        return id;
    }

    private static Optional<String> text(Map<String, Object> p, String key) {
        return JsonValues.at(p, key).filter(v -> v instanceof String).map(String::valueOf).filter(s -> !s.isBlank());
    }
}
