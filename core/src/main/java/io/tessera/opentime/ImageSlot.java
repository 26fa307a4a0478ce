package io.tessera.opentime;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A live image in a message: {@code /o/{token}/img/{name}} picks its picture at open time by
 * {@code choice}, or serves {@code fallbackUrl} (an HTTPS URL on an allowed host).
 */
public record ImageSlot(String name, Choice choice, String fallbackUrl) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    public ImageSlot {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an image slot name is lower-case letters, digits, _ or -: " + name);
        }
    }

    /** How a slot picks its image. */
    public sealed interface Choice {}

    /** The image of the first recommended product in stock. */
    public record FirstRecommended() implements Choice {}

    /** The last viewed product's image; when it sold out, the first recommended product in stock. */
    public record LastViewedOrSwap() implements Choice {}

    /** A PNG showing the time left until {@code until}, drawn by the server. */
    public record Countdown(Instant until) implements Choice {}
}
