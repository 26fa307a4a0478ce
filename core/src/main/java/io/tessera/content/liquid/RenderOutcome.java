package io.tessera.content.liquid;

/** The result of rendering one template for one data set. */
public sealed interface RenderOutcome {

    record Rendered(String output) implements RenderOutcome {}

    /** @param code {@code render_error}, {@code missing_snippet}, {@code limit} … */
    record Failed(String code, String message) implements RenderOutcome {}
}
