package io.tessera.opentime.amp;

/**
 * The template's description of its AMP part: static HTML around one {@code amp-list} bound to
 * the open-time feed. {@code itemTemplate} is an amp-mustache fragment over the feed's declared
 * fields ({@code {{firstName}}}, {@code {{#recommended}}…{{/recommended}}}); {@code fallbackHtml}
 * is shown when the feed cannot be fetched (the send-time rendering of the declared fallbacks).
 *
 * @param height the amp-list's fixed height in CSS pixels (AMP needs it to lay out before loading)
 */
public record AmpFeedBlock(String title, String css, String headerHtml, String itemTemplate, String fallbackHtml,
                           String footerHtml, int height) {
    public AmpFeedBlock {
        if (height < 1 || height > 5000) {
            throw new IllegalArgumentException("amp-list height must be 1..5000 px");
        }
    }
}
