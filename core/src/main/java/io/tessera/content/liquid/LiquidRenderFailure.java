package io.tessera.content.liquid;

/**
 * Thrown from inside a render (a missing snippet, a refused value) to abort it; caught by
 * {@link LiquidTemplate#render} and turned into {@link RenderOutcome.Failed}.
 */
final class LiquidRenderFailure extends RuntimeException {
    LiquidRenderFailure(String message) {
        super(message);
    }
}
