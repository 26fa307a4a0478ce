package io.tessera.profile;

import java.time.Instant;

/**
 * A trait's value and the event time that set it; a later-arriving but older identify does not
 * overwrite it (traits merge by event time, not by arrival).
 */
public record TraitValue(Object value, Instant setAt) {}
