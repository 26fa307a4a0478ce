package io.tessera.content.liquid;

/**
 * The result of parsing Liquid source: a ready template, or the reason it was refused (syntax
 * error, unknown tag, unknown filter, output in a place the email escaper cannot make safe).
 */
public sealed interface ParseVerdict {

    record Parsed(LiquidTemplate template) implements ParseVerdict {}

    /** @param code machine-readable: {@code syntax}, {@code unknown_filter}, {@code unsafe_output} … */
    record Invalid(String code, String message) implements ParseVerdict {}

    default LiquidTemplate orThrow() {
        return switch (this) {
            case Parsed p -> p.template();
            case Invalid i -> throw new IllegalArgumentException(i.code() + ": " + i.message());
        };
    }
}
