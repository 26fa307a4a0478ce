package io.tessera.content;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A finished, checked message for one recipient: what delivery turns into MIME. The HTML has its
 * CSS inlined, links rewritten through the click endpoint and the open pixel appended; the text is
 * generated from it.
 *
 * @param headers       extra headers in order (List-Unsubscribe, List-Unsubscribe-Post per RFC 8058)
 * @param fallbacksUsed keys of blocks that were replaced by their fallback, with the reason
 */
public record RenderedMessage(String subject, String preheader, String html, String text, Optional<String> amp,
                              Map<String, String> headers, List<String> fallbacksUsed) {
    public RenderedMessage {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        fallbacksUsed = List.copyOf(fallbacksUsed);
    }
}
