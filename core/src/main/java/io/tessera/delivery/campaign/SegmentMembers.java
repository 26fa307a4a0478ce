package io.tessera.delivery.campaign;

import java.util.List;

/**
 * What campaigns need from segments: page through a segment's members and check one profile at
 * send time. Until the segments stage lands, the composition root adapts its membership store to
 * this port. Thread-safe.
 */
public interface SegmentMembers {

    /** Member profile ids in id order after {@code afterId} ("" for the start), at most {@code limit}. */
    List<String> members(String segment, String afterId, int limit);

    boolean contains(String segment, String profileId);
}
