package io.tessera.delivery.campaign;

import io.tessera.delivery.SendKey;
import java.util.Optional;

/**
 * Adds tracking to a rendered message: open pixel, click redirects and the one-click
 * unsubscribe URL, all carrying a signed token for (campaign, profile, message). The tracking
 * stage provides it; {@link #NONE} leaves messages as rendered.
 */
public interface TrackingLinks {

    /** The HTML with links wrapped and the pixel added. */
    String decorate(String html, SendKey key, String messageId);

    /** The HTTPS one-click unsubscribe URL (RFC 8058), if tracking is configured. */
    Optional<String> unsubscribeUrl(SendKey key, String messageId);

    TrackingLinks NONE = new TrackingLinks() {
        @Override
        public String decorate(String html, SendKey key, String messageId) {
            return html;
        }

        @Override
        public Optional<String> unsubscribeUrl(SendKey key, String messageId) {
            return Optional.empty();
        }
    };
}
