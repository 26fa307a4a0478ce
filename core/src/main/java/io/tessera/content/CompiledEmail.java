package io.tessera.content;

import io.tessera.content.liquid.LiquidTemplate;
import java.util.List;
import java.util.Optional;

/**
 * A template version ready to render: MJML already compiled to HTML, the HTML cut into the
 * layout's static pieces and one slot per block, each piece parsed (and escaper-instrumented)
 * once. Immutable and thread-safe; rendering borrows pooled parsed copies.
 */
public record CompiledEmail(String key, int version, LiquidTemplate subject, LiquidTemplate preheader,
                            List<Piece> pieces, List<String> readPaths, java.util.Optional<CompiledAmp> amp,
                            Optional<TextTemplate> text) {

    /**
     * @param text the plain-text part made once from the HTML when the version allows it (the
     *             pieces then carry its markers); empty: each message's text is scanned from its HTML
     */
    public CompiledEmail {
        pieces = List.copyOf(pieces);
        readPaths = List.copyOf(readPaths);
    }

    /** A version whose text part is scanned from each message's HTML. */
    public CompiledEmail(String key, int version, LiquidTemplate subject, LiquidTemplate preheader,
                         List<Piece> pieces, List<String> readPaths, Optional<CompiledAmp> amp) {
        this(key, version, subject, preheader, pieces, readPaths, amp, Optional.empty());
    }

    /** The AMP part: Liquid parsed once, the amp-mustache item kept as declared. */
    public record CompiledAmp(String css, LiquidTemplate header, String item, LiquidTemplate fallback,
                              LiquidTemplate footer, int height) {}

    public String id() {
        return key + "@" + version;
    }

    /** A part of the HTML in document order. */
    public sealed interface Piece {}

    /** Layout HTML between blocks. */
    public record Static(LiquidTemplate html) implements Piece {}

    /** One block: its inputs, its variants in order, its default body and its fallback. */
    public record Slot(String blockKey, List<EmailTemplate.Input> inputs, List<CompiledVariant> variants,
                       LiquidTemplate body, Optional<LiquidTemplate> fallback) implements Piece {
        public Slot {
            inputs = List.copyOf(inputs);
            variants = List.copyOf(variants);
        }
    }

    public record CompiledVariant(String name, ContentCondition condition, LiquidTemplate html) {}
}
