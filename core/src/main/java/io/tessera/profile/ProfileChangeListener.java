package io.tessera.profile;

/**
 * Told about every profile change, on the profile engine's thread, after the change is durable
 * (segments subscribe here). A listener must be quick and must not throw for bad data: a thrown
 * exception stops the engine's delivery like an outage does.
 */
@FunctionalInterface
public interface ProfileChangeListener {
    void onChange(ProfileChange change);
}
