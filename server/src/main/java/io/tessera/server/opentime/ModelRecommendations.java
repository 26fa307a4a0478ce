package io.tessera.server.opentime;

import io.tessera.content.recommend.CoOccurrenceModel;
import io.tessera.content.recommend.Interaction;
import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.event.JsonValues;
import io.tessera.opentime.Recommendations;
import io.tessera.opentime.SourceAnswer;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recommendations for open-time feeds and live images from the content stage's
 * {@link CoOccurrenceModel}, trained on the interactions {@link LoggedProducts} collects from the
 * log; a profile's own history is its timeline's "Product Viewed" and "Order Completed" events.
 * Until the first training the source answers unavailable (feeds serve their fallbacks).
 *
 * <p>Threading: {@link #retrainIfChanged} runs on one scheduler thread (the owner) and publishes
 * each model through a volatile field; {@link #recommend} reads it from any thread.
 */
public final class ModelRecommendations implements Recommendations {
    private static final Duration HALF_LIFE = Duration.ofDays(30);

    private final LoggedProducts products;
    private final ProfileStore profiles;
    private final InstantSource clock;
    private volatile Optional<CoOccurrenceModel> model = Optional.empty();
    private long trainedOn = -1;

    public ModelRecommendations(LoggedProducts products, ProfileStore profiles, InstantSource clock) {
        this.products = products;
        this.profiles = profiles;
        this.clock = clock;
    }

    /** Trains a new model when interactions arrived since the last one; answers whether it did. */
    public synchronized boolean retrainIfChanged() {
        long seen = products.interactionsSeen();
        if (seen == trainedOn) {
            return false;
        }
        model = Optional.of(CoOccurrenceModel.train(products.interactions(), clock.instant(), HALF_LIFE, products));
        trainedOn = seen;
        return true;
    }

    @Override
    public SourceAnswer<List<String>> recommend(String profileId, int limit) {
        Optional<CoOccurrenceModel> m = model;
        if (m.isEmpty()) {
            return SourceAnswer.unavailable("not_trained");
        }
        Instant now = clock.instant();
        List<Interaction> history = history(profileId);
        return SourceAnswer.of(m.get().recommend(history, now, limit, products).stream()
                .map(CoOccurrenceModel.Recommendation::item).toList(), now);
    }

    private List<Interaction> history(String profileId) {
        List<Interaction> out = new ArrayList<>();
        for (Event e : profiles.get(profileId).map(Profile::timeline).orElse(List.of())) {
            if (e.type() != EventType.TRACK) {
                continue;
            }
            if (e.name().equals("Product Viewed")) {
                LoggedProducts.productId(e.properties())
                        .ifPresent(id -> out.add(new Interaction(profileId, id, Interaction.Kind.VIEW, e.timestamp())));
            } else if (e.name().equals("Order Completed")
                    && JsonValues.at(e.properties(), "products").orElse(List.of()) instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof Map<?, ?> m) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> p = (Map<String, Object>) m;
                        LoggedProducts.productId(p)
                                .ifPresent(id -> out.add(new Interaction(profileId, id, Interaction.Kind.PURCHASE, e.timestamp())));
                    }
                }
            }
        }
        return out;
    }
}
