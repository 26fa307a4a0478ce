package io.tessera.profile;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The identifiers an event names, in resolution priority: userId, email, phone, anonymousId, and
 * for {@code alias} the previousId (as an anonymous id, else as a user id). Emails are trimmed and
 * lower-cased, phones trimmed with spaces, dots, dashes and brackets removed, so the identity graph
 * links "Ann@Example.com " with "ann@example.com".
 */
record EventIdentities(Optional<String> userId, List<Identity> identities, Optional<String> previousId) {
    private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[\\s().\\-]");

    static EventIdentities of(Event e) {
        List<Identity> ids = new ArrayList<>(4);
        e.userId().filter(v -> !v.isBlank()).ifPresent(v -> ids.add(Identity.userId(v)));
        Map<String, Object> traits = ProfileState.traitsOf(e);
        email(traits).ifPresent(v -> ids.add(Identity.email(v)));
        phone(traits).ifPresent(v -> ids.add(Identity.phone(v)));
        e.anonymousId().filter(v -> !v.isBlank()).ifPresent(v -> ids.add(Identity.anonymousId(v)));
        Optional<String> previous = e.type() == EventType.ALIAS
                ? e.previousId().filter(v -> !v.isBlank() && !v.equals(e.userId().orElse("")))
                : Optional.empty();
        return new EventIdentities(e.userId().filter(v -> !v.isBlank()), ids, previous);
    }

    static Optional<String> email(Map<String, Object> traits) {
        return traits.get("email") instanceof String s && s.contains("@")
                ? Optional.of(s.trim().toLowerCase(Locale.ROOT))
                : Optional.empty();
    }

    static Optional<String> phone(Map<String, Object> traits) {
        if (traits.get("phone") instanceof String s) {
            String digits = PHONE_PUNCTUATION.matcher(s.trim()).replaceAll("");
            return digits.length() >= 5 ? Optional.of(digits) : Optional.empty();
        }
        return Optional.empty();
    }
}
