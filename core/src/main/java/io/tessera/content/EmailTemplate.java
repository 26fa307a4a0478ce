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
                            String layout, List<Block> blocks, Optional<Amp> amp) {

    public enum Format { MJML, HTML }

    /** The layout text replaced by the rendered blocks, in order. */
    public static final String BLOCKS_SLOT = "{{ blocks }}";

    public EmailTemplate {
        blocks = List.copyOf(blocks);
    }

    /** A version without an AMP part. */
    public EmailTemplate(String key, int version, String subject, String preheader, Format format, String layout,
                         List<Block> blocks) {
        this(key, version, subject, preheader, format, layout, blocks, Optional.empty());
    }

    /** The same version with an AMP part declared. */
    public EmailTemplate withAmp(Amp declared) {
        return new EmailTemplate(key, version, subject, preheader, format, layout, blocks, Optional.of(declared));
    }

    /** The same content as another version number (stores assign numbers). */
    public EmailTemplate withVersion(int number) {
        return new EmailTemplate(key, number, subject, preheader, format, layout, blocks, amp);
    }

    /**
     * The template's {@code text/x-amp-html} part: one {@code amp-list} over the message's
     * open-time feed (composed by {@code io.tessera.opentime.amp.AmpEmailComposer}).
     * {@code header}, {@code fallback} (shown when the feed cannot be fetched) and {@code footer}
     * are email-dialect Liquid rendered per recipient like the HTML; {@code item} is an
     * amp-mustache template over the feed's fields, kept as it is (not Liquid).
     *
     * @param height the amp-list's fixed height in CSS pixels
     */
    public record Amp(String css, String header, String item, String fallback, String footer, int height) {}

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
