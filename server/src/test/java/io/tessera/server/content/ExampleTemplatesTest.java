package io.tessera.server.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.CompiledEmail;
import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailRenderer;
import io.tessera.content.EmailTemplate;
import io.tessera.content.RenderErrors;
import io.tessera.content.RenderedMessage;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/** The example template set shipped in examples/templates compiles and renders its sample data. */
class ExampleTemplatesTest {

    static final Path EXAMPLES = Path.of("../examples/templates");

    @Test
    @SuppressWarnings("unchecked")
    void everyExampleCompilesAndRendersItsSampleData() throws Exception {
        List<EmailTemplate> templates = TemplateDirectory.loadAll(EXAMPLES, 1);
        assertThat(templates).isNotEmpty();
        EmailCompiler compiler = new EmailCompiler(LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
                new SegmentContentConditions());
        for (EmailTemplate t : templates) {
            CompiledEmail email = switch (compiler.compile(t)) {
                case EmailCompiler.Verdict.Compiled c -> c.email();
                case EmailCompiler.Verdict.Invalid i -> throw new AssertionError(t.key() + ": " + i.problems());
            };
            Map<String, Object> data = new ObjectMapper().readValue(Files.readString(EXAMPLES.resolve(t.key()).resolve("sample-data.json")), Map.class);
            Map<String, TraitValue> traits = new LinkedHashMap<>();
            ((Map<String, Object>) data.get("profile")).forEach((k, v) -> traits.put(k, new TraitValue(v, Instant.EPOCH)));
            Map<String, Object> extra = new LinkedHashMap<>(data);
            extra.remove("profile");
            Profile p = new Profile("p_ann", Map.of(), traits, Map.of(), List.of(), 0);
            EmailRenderer.Result r = new EmailRenderer(InstantSource.fixed(Instant.parse("2026-11-02T10:00:00Z")), Optional.empty(), new RenderErrors(),
                    Optional.of((profile, message, key, now) -> "https://t.example.com/o/TOKEN/amp.json"))
                    .render(email, new EmailRenderer.Request(p, Map.of(), extra, "m1"));
            assertThat(r).as(t.key()).isInstanceOf(EmailRenderer.Result.Rendered.class);
            RenderedMessage m = ((EmailRenderer.Result.Rendered) r).message();
            assertThat(m.fallbacksUsed()).as(t.key()).isEmpty();
            assertThat(m.subject()).isEqualTo("Ann, 2 picks for your week");
            assertThat(m.text()).contains("Hello Ann").contains("White hanging heart");
            if (t.amp().isPresent()) { // weekly-picks declares one in amp.json
                assertThat(m.amp()).as(t.key()).hasValueSatisfying(a -> assertThat(a)
                        .contains("<amp-list src=\"https://t.example.com/o/TOKEN/amp.json\"").contains("{{#picks}}"));
            }
        }
    }
}
