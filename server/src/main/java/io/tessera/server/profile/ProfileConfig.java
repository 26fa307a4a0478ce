package io.tessera.server.profile;

import io.tessera.profile.ProfileEngine;
import java.util.Optional;
import java.util.function.Function;

/**
 * The profile engine's options from configuration: {@code profiles.merge-different-user-ids}
 * ({@code TESSERA_PROFILES_MERGE_DIFFERENT_USER_IDS}, {@code true} or {@code false}, default
 * {@code false}: a shared email, phone or device never joins two profiles that carry different
 * userIds). An invalid value fails start-up with a message.
 */
public final class ProfileConfig {
    private ProfileConfig() {}

    public static ProfileEngine.Options options(Function<String, Optional<String>> setting) {
        ProfileEngine.Options d = ProfileEngine.Options.defaults();
        String text = setting.apply("profiles.merge-different-user-ids").orElse("false").strip();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("setting profiles.merge-different-user-ids must be true or false, was '" + text + "'");
        }
        return new ProfileEngine.Options(Boolean.parseBoolean(text), d.cachedProfiles(), d.dedupeWindow());
    }
}
