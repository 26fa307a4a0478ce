package io.tessera.server.delivery;

import io.tessera.delivery.campaign.CampaignControl;
import io.tessera.delivery.campaign.CampaignState;
import io.tessera.delivery.campaign.CampaignStore;
import io.tessera.delivery.dispatch.RunGate;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The campaigns' pause / cancel states (kept by the {@link CampaignStore}) as the sending paths ask
 * for them, once per recipient: each campaign's state is cached and read again from the store when
 * older than a second, so a change made through another node's API takes effect here within a
 * second; a change made here takes effect at once (written to the store, then to the cache).
 *
 * <p>Thread-safe: the cache is a concurrent map of immutable entries; {@link #change} is
 * serialized on this object so two requests cannot both apply a transition from the same state.
 */
final class CampaignControls implements RunGate {

    private static final long FRESH_NANOS = 1_000_000_000L;

    private final CampaignStore store;
    private final InstantSource clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(CampaignState state, long readAt) {}

    CampaignControls(CampaignStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    CampaignState state(String key) {
        Cached c = cache.get(key);
        long now = System.nanoTime();
        if (c == null || now - c.readAt() > FRESH_NANOS) {
            c = new Cached(stored(key).map(CampaignControl::state).orElse(CampaignState.ACTIVE), now);
            cache.put(key, c);
        }
        return c.state();
    }

    /** The stored state with its time; empty for a campaign never paused or cancelled. */
    Optional<CampaignControl> stored(String key) {
        return store.control(key);
    }

    @Override
    public boolean mayClaim(String campaignKey) {
        return state(campaignKey) == CampaignState.ACTIVE;
    }

    /** Applies {@code action} to the stored state and records the change durably; returns the transition. */
    synchronized CampaignState.Transition change(String key, CampaignState.Action action, boolean finished) {
        CampaignState current = stored(key).map(CampaignControl::state).orElse(CampaignState.ACTIVE);
        CampaignState.Transition t = current.apply(action, finished);
        if (t instanceof CampaignState.Transition.Changed changed) {
            store.control(key, new CampaignControl(changed.to(), clock.instant()));
        }
        cache.put(key, new Cached(switch (t) {
            case CampaignState.Transition.Changed c -> c.to();
            case CampaignState.Transition.Unchanged u -> u.state();
            case CampaignState.Transition.Refused r -> current;
        }, System.nanoTime()));
        return t;
    }
}
