package io.tessera.event;

/** An event as the log delivers it: with its partition and its offset in that partition. */
public record LoggedEvent(int partition, long offset, Event event) {}
