package io.tessera.delivery.campaign;

import io.tessera.profile.Profile;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a template version for one profile at send time (latest data). The content stage
 * provides the implementation; this port keeps delivery independent of how templates work.
 * Thread-safe.
 */
public interface MessageRenderer {

    Rendered render(Request request);

    /**
     * @param subjectOverride  a variant's subject template, rendered instead of the template's
     * @param context          extra values for the template (campaign key, variant, message id)
     */
    record Request(Campaign.TemplateRef template, Optional<String> subjectOverride, Profile profile,
                   Map<String, Object> context) {}

    sealed interface Rendered {}

    record Message(String subject, String preheader, String html, String text, Optional<String> amp,
                   Map<String, String> headers, List<String> fallbacksUsed) implements Rendered {}

    /** The template could not be rendered for this profile (e.g. a missing value without fallback). */
    record Failed(String code, String message) implements Rendered {}
}
