package io.tessera.content;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable version of an email template: subject, preheader, a layout and the ordered
 * blocks that fill its {@code {{ blocks }}} slot. The layout and blocks are MJML + Liquid (compiled
 * to HTML once per version) or HTML + Liquid.
 */
public record EmailTemplate(String key, int version, String subject, String preheader, Format format,
                            String layout, List<Block> blocks) {

    public enum Format { MJML, HTML }

    /** The layout text replaced by the rendered blocks, in order. */
    public static final String BLOCKS_SLOT = "{{ blocks }}";

    public EmailTemplate {
        blocks = List.copyOf(blocks);
    }

    /**
     * A reusable, versioned content block.
     *
     * @param inputs   values the block reads, each from a data path with an optional default; an
     *                 input without a default that is missing or blank makes the block use its fallback
     * @param variants tried in order; the first whose condition holds is rendered, else {@code body}
     * @param fallback what the recipient sees when the block cannot be rendered (may be empty)
     */
    public record Block(String key, int version, List<Input> inputs, List<Variant> variants, String body,
                        String fallback) {
        public Block {
            inputs = List.copyOf(inputs);
            variants = List.copyOf(variants);
        }
    }

    /** @param path a dotted path into the render data, e.g. {@code profile.firstName} */
    public record Input(String name, String path, Optional<Object> defaultValue) {}

    /** @param condition a content rule in the segments' CEL dialect */
    public record Variant(String name, String condition, String body) {}

    /** The blocks by key, for lookups. */
    public Map<String, Block> blocksByKey() {
        Map<String, Block> m = new java.util.LinkedHashMap<>();
        blocks.forEach(b -> m.put(b.key(), b));
        return m;
    }
}
