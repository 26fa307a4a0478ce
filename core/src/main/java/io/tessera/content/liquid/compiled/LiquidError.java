package io.tessera.content.liquid.compiled;

/**
 * A template that cannot be parsed (unknown tag or filter, wrong filter arity, bad syntax), or a
 * render that cannot complete (a filter applied to a value it cannot take, a loop limit). The
 * message names the line where the parser was; callers turn it into a verdict value.
 */
public final class LiquidError extends RuntimeException {

    private final String code;

    public LiquidError(String code, String message) {
        super(message);
        this.code = code;
    }

    /** {@code syntax}, {@code unknown_tag}, {@code unknown_filter}, {@code filter_arguments}, {@code render_error} … */
    public String code() {
        return code;
    }

    static LiquidError render(String message) {
        return new LiquidError("render_error", message);
    }
}
