package io.tessera.server.delivery;

import io.tessera.delivery.campaign.SegmentMembers;
import io.tessera.segment.MembershipStore;
import java.util.List;

/** The segments' durable memberships behind delivery's {@link SegmentMembers} port. Thread-safe (the store is). */
record MembershipSegmentMembers(MembershipStore memberships) implements SegmentMembers {

    @Override
    public List<String> members(String segment, String afterId, int limit) {
        return memberships.members(segment, afterId, limit).stream().map(MembershipStore.Member::profileId).toList();
    }

    @Override
    public boolean contains(String segment, String profileId) {
        return memberships.memberships(profileId).containsKey(segment);
    }
}
