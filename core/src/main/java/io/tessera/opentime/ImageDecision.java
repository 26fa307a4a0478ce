package io.tessera.opentime;

import java.time.Duration;

/** What an image slot shows for one open. */
public sealed interface ImageDecision {

    /** Redirect to an allowed HTTPS image; {@code fallback} when no live choice was possible. */
    record Redirect(String url, boolean fallback) implements ImageDecision {}

    /** Draw a countdown showing {@code remaining} (zero once the moment has passed). */
    record CountdownImage(Duration remaining) implements ImageDecision {}
}
