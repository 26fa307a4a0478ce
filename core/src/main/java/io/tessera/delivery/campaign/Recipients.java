package io.tessera.delivery.campaign;

import io.tessera.profile.Profile;
import java.util.Optional;

/** The latest profile for an id, read just before rendering (a {@code ProfileStore::get} fits). */
@FunctionalInterface
public interface Recipients {
    Optional<Profile> profile(String profileId);
}
