package io.tessera.testkit;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Seeded, realistic tracking-API histories for N users, interleaved in arrival order. Each user
 * browses anonymously, identifies (the anonymous → known transition), tracks product views, carts
 * and orders, sometimes comes back on a second device that is aliased or identified, and sometimes
 * sends a late identify whose timestamp is older than traits already set. A few users share an
 * email address with another user (two different userIds that must never be merged), and, when
 * asked, a few events are redelivered with the same messageId.
 *
 * <p>The same seed gives the same events, byte for byte. Not thread-safe (one {@link Random}).
 */
public final class EventGenerator {
    private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");
    private static final String[] PRODUCTS = {"sku-shoe", "sku-hat", "sku-bag", "sku-scarf", "sku-watch", "sku-mug"};
    private static final String[] PLANS = {"free", "pro", "team"};
    private static final String[] NAMES = {"Ann", "Bob", "Chloé", "Dmitri", "Eve", "Fatima", "Gus", "Hiro"};

    private final long seed;
    private final Random rnd;
    private double duplicateRate;

    public EventGenerator(long seed) {
        this.seed = seed;
        this.rnd = new Random(seed);
    }

    public long seed() {
        return seed;
    }

    /** Makes about this share of events reappear later in the stream with the same messageId. */
    public EventGenerator withDuplicates(double rate) {
        this.duplicateRate = rate;
        return this;
    }

    /** About {@code users * eventsPerUser} events, each user's in script order, users interleaved. */
    public List<Event> histories(int users, int eventsPerUser) {
        List<List<Event>> scripts = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            scripts.add(script(u, users, eventsPerUser));
        }
        return interleave(scripts);
    }

    /** The user id the generator gives user number {@code n}. */
    public static String userId(int n) {
        return "user-" + n;
    }

    private List<Event> script(int n, int users, int target) {
        List<Event> out = new ArrayList<>();
        String userId = userId(n);
        String anon = "anon-" + Long.toHexString(rnd.nextLong());
        Instant t = BASE.plus(Duration.ofMinutes(rnd.nextInt(7 * 24 * 60)));
        int pages = 1 + rnd.nextInt(3);
        for (int i = 0; i < pages; i++) {
            t = tick(t);
            out.add(page(Optional.empty(), anon, t));
        }
        t = tick(t);
        Instant identifiedAt = t;
        out.add(identify(userId, Optional.of(anon), traits(n, users, false), t));
        boolean secondDevice = rnd.nextDouble() < 0.3;
        boolean lateIdentify = rnd.nextDouble() < 0.25;
        while (out.size() < target) {
            t = tick(t);
            double p = rnd.nextDouble();
            if (secondDevice && p < 0.15) {
                secondDevice = false;
                String anon2 = "anon-" + Long.toHexString(rnd.nextLong());
                out.add(page(Optional.empty(), anon2, t));
                out.add(track(Optional.empty(), Optional.of(anon2), t = tick(t)));
                t = tick(t);
                out.add(rnd.nextBoolean()
                        ? alias(anon2, userId, t)
                        : identify(userId, Optional.of(anon2), Map.of(), t));
            } else if (lateIdentify && p < 0.25) {
                lateIdentify = false;
                Instant older = identifiedAt.minus(Duration.ofHours(1 + rnd.nextInt(48)));
                out.add(identify(userId, Optional.empty(), traits(n, users, true), older));
            } else if (p < 0.35) {
                out.add(page(Optional.of(userId), anon, t));
            } else if (p < 0.45) {
                out.add(identify(userId, Optional.empty(), Map.of("plan", PLANS[rnd.nextInt(PLANS.length)],
                        "visits", rnd.nextInt(100)), t));
            } else {
                out.add(track(Optional.of(userId), rnd.nextBoolean() ? Optional.of(anon) : Optional.empty(), t));
            }
        }
        return out;
    }

    private Map<String, Object> traits(int n, int users, boolean stale) {
        Map<String, Object> traits = new LinkedHashMap<>();
        int emailOwner = !stale && users > 1 && rnd.nextDouble() < 0.05 ? (n + 1) % users : n;
        String email = "User" + emailOwner + "@Example.com";
        traits.put("email", rnd.nextBoolean() ? email : email.toLowerCase(Locale.ROOT));
        traits.put("firstName", stale ? "Stale" : NAMES[rnd.nextInt(NAMES.length)]);
        traits.put("plan", stale ? "legacy" : PLANS[rnd.nextInt(PLANS.length)]);
        if (rnd.nextDouble() < 0.2) {
            traits.put("phone", "+1555" + (1000000 + n));
        }
        return traits;
    }

    private Instant tick(Instant t) {
        // mostly forward; sometimes a little backward (clock skew, batching on the client)
        long seconds = rnd.nextDouble() < 0.1 ? -rnd.nextInt(120) : 1 + rnd.nextInt(900);
        return t.plusSeconds(seconds);
    }

    private Event page(Optional<String> userId, String anon, Instant t) {
        Map<String, Object> props = Map.of("path", "/p/" + PRODUCTS[rnd.nextInt(PRODUCTS.length)], "title", "Shop");
        return event(EventType.PAGE, userId, Optional.of(anon), "Home", props, Map.of(), Map.of(), Optional.empty(), t);
    }

    private Event track(Optional<String> userId, Optional<String> anon, Instant t) {
        String sku = PRODUCTS[rnd.nextInt(PRODUCTS.length)];
        double r = rnd.nextDouble();
        if (r < 0.6) {
            return event(EventType.TRACK, userId, anon, "Product Viewed",
                    Map.of("sku", sku, "price", 5 + rnd.nextInt(200)), Map.of(), Map.of(), Optional.empty(), t);
        }
        if (r < 0.85) {
            return event(EventType.TRACK, userId, anon, "Product Added",
                    Map.of("sku", sku, "quantity", 1 + rnd.nextInt(3)), Map.of(), Map.of(), Optional.empty(), t);
        }
        double revenue = Math.round(rnd.nextDouble() * 50000) / 100.0;
        return event(EventType.TRACK, userId, anon, "Order Completed",
                Map.of("orderId", "o-" + Long.toHexString(rnd.nextLong()), "revenue", revenue, "items", 1 + rnd.nextInt(5)),
                Map.of(), Map.of(), Optional.empty(), t);
    }

    private Event identify(String userId, Optional<String> anon, Map<String, Object> traits, Instant t) {
        return event(EventType.IDENTIFY, Optional.of(userId), anon, "", Map.of(), traits, Map.of(), Optional.empty(), t);
    }

    private Event alias(String previousId, String userId, Instant t) {
        return event(EventType.ALIAS, Optional.of(userId), Optional.empty(), "", Map.of(), Map.of(), Map.of(),
                Optional.of(previousId), t);
    }

    private Event event(EventType type, Optional<String> userId, Optional<String> anon, String name,
            Map<String, Object> props, Map<String, Object> traits, Map<String, Object> context,
            Optional<String> previousId, Instant t) {
        String messageId = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
        Instant received = t.plusMillis(rnd.nextInt(5000));
        return new Event(messageId, type, userId, anon, name, props, traits, context,
                Map.of(), previousId, Optional.empty(), t, received, Optional.of(received.minusMillis(20)), "generator");
    }

    private List<Event> interleave(List<List<Event>> scripts) {
        List<Event> out = new ArrayList<>();
        List<int[]> cursors = new ArrayList<>();
        for (int i = 0; i < scripts.size(); i++) {
            cursors.add(new int[] {i, 0});
        }
        while (!cursors.isEmpty()) {
            int pick = rnd.nextInt(cursors.size());
            int[] c = cursors.get(pick);
            List<Event> script = scripts.get(c[0]);
            Event e = script.get(c[1]++);
            out.add(e);
            if (duplicateRate > 0 && rnd.nextDouble() < duplicateRate) {
                out.add(e);
            }
            if (c[1] == script.size()) {
                cursors.set(pick, cursors.get(cursors.size() - 1));
                cursors.remove(cursors.size() - 1);
            }
        }
        return out;
    }
}
