package io.tessera.delivery.campaign;

import java.util.List;
import java.util.Optional;

/**
 * Saved campaign definitions, each save a new version. Adapter: {@code store.sqlite.SqliteCampaignStore}.
 * Thread-safe.
 */
public interface CampaignStore extends AutoCloseable {

    /** Saves a new version; returns its number (1 for the first). */
    int put(Campaign campaign);

    Optional<Campaign> get(String key);

    List<Campaign> list();

    /** The campaign's pause / cancel state; empty when it was never changed (active). Kept apart from the versions: an edit does not resume. */
    Optional<CampaignControl> control(String key);

    /** Records a new state durably (returns once it is). */
    void control(String key, CampaignControl control);

    @Override
    void close();
}
