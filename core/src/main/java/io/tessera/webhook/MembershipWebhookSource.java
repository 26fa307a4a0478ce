package io.tessera.webhook;

import io.tessera.segment.MembershipChange;
import io.tessera.segment.MembershipStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Segment enters and exits, read from the durable membership log. */
public final class MembershipWebhookSource implements WebhookSource {
    private final MembershipStore memberships;

    public MembershipWebhookSource(MembershipStore memberships) {
        this.memberships = memberships;
    }

    @Override
    public String name() {
        return "segment-membership";
    }

    @Override
    public long latest() {
        return memberships.latestChange();
    }

    @Override
    public List<WebhookEvent> after(long position, int limit) {
        return memberships.changesAfter(position, limit).stream().map(MembershipWebhookSource::event).toList();
    }

    private static WebhookEvent event(MembershipStore.LoggedChange logged) {
        MembershipChange c = logged.change();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("segment", c.segment());
        data.put("segmentVersion", c.version());
        data.put("profileId", c.profileId());
        data.put("cause", c.cause());
        return new WebhookEvent(logged.seq(), "seg_" + logged.seq(),
                c.entered() ? WebhookEvent.SEGMENT_ENTERED : WebhookEvent.SEGMENT_EXITED, c.at(), data);
    }
}
