package io.tessera.server.delivery;

import io.tessera.event.Event;
import io.tessera.profile.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The products a recipient looked at most recently and has not bought since, from the profile's
 * timeline ("Product Viewed" / "Order Completed" with {@code product_id} or {@code products[]}),
 * offered to campaign templates as {@code recommendations} when the caller supplies none: the
 * browse-abandonment content that needs no model. Items carry the event's properties plus the
 * template-friendly names {@code id} and {@code title}. Stateless.
 */
final class RecentlyViewed {

    private RecentlyViewed() {
    }

    static List<Map<String, Object>> of(Profile profile, int limit) {
        Set<String> bought = new LinkedHashSet<>();
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<Event> timeline = profile.timeline();
        for (int i = timeline.size() - 1; i >= 0 && out.size() < limit; i--) {
            Event e = timeline.get(i);
            if ("Order Completed".equals(e.name())) {
                productIds(e).forEach(bought::add);
            } else if ("Product Viewed".equals(e.name()) && e.properties().get("product_id") instanceof Object id) {
                String key = String.valueOf(id);
                if (!bought.contains(key) && seen.add(key)) {
                    Map<String, Object> item = new LinkedHashMap<>(e.properties());
                    item.put("id", key);
                    item.putIfAbsent("title", e.properties().getOrDefault("name", key));
                    out.add(java.util.Collections.unmodifiableMap(item));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> productIds(Event order) {
        List<String> ids = new ArrayList<>();
        if (order.properties().get("product_id") instanceof Object id) {
            ids.add(String.valueOf(id));
        }
        if (order.properties().get("products") instanceof List<?> products) {
            for (Object p : products) {
                if (p instanceof Map<?, ?> m && m.get("product_id") instanceof Object id) {
                    ids.add(String.valueOf(id));
                }
            }
        }
        return ids;
    }
}
