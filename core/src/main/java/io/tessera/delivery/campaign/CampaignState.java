package io.tessera.delivery.campaign;

import java.util.Locale;

/**
 * Whether a campaign may send: {@link #ACTIVE} (the default: started runs send, a triggered
 * campaign triggers), {@link #PAUSED} (no new recipient is claimed; resuming continues where it
 * stopped) or {@link #CANCELLED} (never sends again). Kept durably by the {@link CampaignStore},
 * apart from the definition's versions, so a paused campaign stays paused across restarts and edits.
 */
public enum CampaignState {
    ACTIVE, PAUSED, CANCELLED;

    /** The name in the HTTP API: {@code active}, {@code paused}, {@code cancelled}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What a client may ask of a campaign's state. */
    public enum Action { START, PAUSE, RESUME, CANCEL }

    /** The answer to an {@link Action}: the state changes, stays as asked already, or is refused with a reason code. */
    public sealed interface Transition {
        record Changed(CampaignState to) implements Transition {}

        /** Already in the asked state: repeating a pause, resume or cancel is harmless (clients retry). */
        record Unchanged(CampaignState state) implements Transition {}

        /** Not possible from here; {@code code} is machine-readable ({@code campaign_cancelled} …). */
        record Refused(String code, String message) implements Transition {}
    }

    /**
     * The rules. {@code finished}: a one-shot campaign whose run decided every recipient; there is
     * nothing left to pause, resume or cancel (starting it again is allowed and sends nothing twice).
     */
    public Transition apply(Action action, boolean finished) {
        if (this == CANCELLED) {
            return action == Action.CANCEL ? new Transition.Unchanged(this)
                    : new Transition.Refused("campaign_cancelled", "the campaign was cancelled; it never sends again");
        }
        if (action == Action.START) {
            return this == PAUSED ? new Transition.Refused("campaign_paused", "the campaign is paused; resume it instead")
                    : new Transition.Unchanged(this);
        }
        if (finished) {
            return new Transition.Refused("campaign_finished", "the campaign's run has finished; there is nothing to "
                    + action.name().toLowerCase(Locale.ROOT));
        }
        CampaignState to = switch (action) {
            case PAUSE -> PAUSED;
            case RESUME -> ACTIVE;
            case CANCEL -> CANCELLED;
            case START -> throw new IllegalStateException("handled above");
        };
        return to == this ? new Transition.Unchanged(this) : new Transition.Changed(to);
    }
}
