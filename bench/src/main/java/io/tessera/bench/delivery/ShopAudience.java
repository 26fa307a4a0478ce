package io.tessera.bench.delivery;

import io.tessera.delivery.campaign.Recipients;
import io.tessera.delivery.campaign.SegmentMembers;
import io.tessera.event.Event;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import io.tessera.testkit.SyntheticAudience;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * {@link SyntheticAudience}'s recipients as a shop knows them, so the shipped weekly-picks email
 * renders in full: loyalty points, a tier (one in five VIP, which picks the hero's VIP variant)
 * and a timeline of six viewed products (what the real renderer turns into the recipient's
 * picks). Profiles are built on demand from 256 seeded timelines; thread-safe.
 */
final class ShopAudience implements Recipients, SegmentMembers {

    private static final int TIMELINES = 256;

    private final SyntheticAudience base;
    private final List<List<Event>> timelines = new ArrayList<>();

    ShopAudience(SyntheticAudience base) {
        this.base = base;
        Random rnd = new Random(5);
        Instant at = Instant.parse("2026-10-20T10:00:00Z");
        for (int t = 0; t < TIMELINES; t++) {
            List<Event> events = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                String id = "SKU" + rnd.nextInt(100_000);
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("product_id", id);
                p.put("name", "Hand-made ceramic item number " + rnd.nextInt(1000) + " with a long description");
                p.put("url", "https://shop.example.com/p/" + id + "?ref=email");
                p.put("image", "https://cdn.example.com/i/" + id + ".jpg");
                double price = 5 + rnd.nextInt(20000) / 100.0;
                p.put("price", price);
                if (rnd.nextBoolean()) {
                    p.put("compareAt", price * 1.25);
                }
                p.put("currency", "EUR");
                p.put("category", "home");
                p.put("rating", 3 + rnd.nextInt(21) / 10.0);
                p.put("stock", rnd.nextInt(40));
                events.add(Event.track("v" + t + "_" + k, "u" + t, "Product Viewed", p, at.plusSeconds(60L * k)));
            }
            timelines.add(List.copyOf(events));
        }
    }

    @Override
    public List<String> members(String segment, String afterId, int limit) {
        return base.members(segment, afterId, limit);
    }

    @Override
    public boolean contains(String segment, String profileId) {
        return base.contains(segment, profileId);
    }

    @Override
    public Optional<Profile> profile(String profileId) {
        return base.profile(profileId).map(p -> {
            int i = Integer.parseInt(profileId.substring(1));
            Map<String, TraitValue> traits = new LinkedHashMap<>(p.traits());
            Instant at = Instant.parse("2026-10-01T00:00:00Z");
            traits.put("loyaltyPoints", new TraitValue(i % 3 == 0 ? 0 : i % 500, at));
            traits.put("tier", new TraitValue(i % 5 == 0 ? "vip" : "standard", at));
            return new Profile(p.id(), p.identities(), traits, p.events(), timelines.get(i % TIMELINES), p.lastOffset());
        });
    }
}
