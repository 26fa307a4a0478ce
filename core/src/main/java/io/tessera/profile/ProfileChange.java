package io.tessera.profile;

import io.tessera.event.LoggedEvent;
import java.util.List;
import java.util.Optional;

/**
 * One applied event's effect on one profile, handed to listeners after the batch holding it is
 * durable.
 *
 * @param before     the profile just before this event; empty if the event created it
 * @param after      the profile just after this event
 * @param cause      the event, with its partition and offset
 * @param mergedAway ids of profiles this event merged into {@code after} (they no longer exist)
 */
public record ProfileChange(Optional<Profile> before, Profile after, LoggedEvent cause, List<String> mergedAway) {
    public ProfileChange {
        mergedAway = List.copyOf(mergedAway);
    }
}
