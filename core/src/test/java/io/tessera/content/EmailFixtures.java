package io.tessera.content;

import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import io.tessera.tracking.TrackingToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared builders for the email pipeline tests. */
final class EmailFixtures {

    static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    static final InstantSource CLOCK = InstantSource.fixed(NOW);
    static final TrackingToken TOKENS = new TrackingToken(
            List.of(new TrackingToken.Key("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8))), CLOCK);
    static final LinkTracking TRACKING = new LinkTracking("https://t.example.com", TOKENS, Duration.ofDays(30),
            Optional.of("unsub@example.com"));

    private EmailFixtures() {}

    static EmailCompiler compiler() {
        return new EmailCompiler(LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
                new SegmentContentConditions());
    }

    static CompiledEmail compile(EmailTemplate t) {
        return switch (compiler().compile(t)) {
            case EmailCompiler.Verdict.Compiled c -> c.email();
            case EmailCompiler.Verdict.Invalid i -> throw new AssertionError("did not compile: " + i.problems());
        };
    }

    static Profile profile(String id, Map<String, Object> traits) {
        Map<String, TraitValue> tv = new LinkedHashMap<>();
        traits.forEach((k, v) -> tv.put(k, new TraitValue(v, NOW)));
        return new Profile(id, Map.of(IdentityKind.USER_ID, List.of(id)), tv, Map.of(), List.of(), 0);
    }

    static EmailTemplate html(String subject, String layout, EmailTemplate.Block... blocks) {
        return new EmailTemplate("t", 1, subject, "", EmailTemplate.Format.HTML, layout, List.of(blocks));
    }

    static EmailTemplate.Block block(String key, String body, String fallback, EmailTemplate.Input... inputs) {
        return new EmailTemplate.Block(key, 1, List.of(inputs), List.of(), body, fallback);
    }

    static RenderedMessage rendered(EmailRenderer.Result r) {
        return switch (r) {
            case EmailRenderer.Result.Rendered ok -> ok.message();
            case EmailRenderer.Result.Refused no -> throw new AssertionError("refused: " + no.reasons());
        };
    }
}
