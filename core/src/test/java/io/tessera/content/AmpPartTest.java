package io.tessera.content;

import static io.tessera.content.EmailFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.opentime.OpenTimeClaim;
import io.tessera.opentime.OpenTimeTokens;
import io.tessera.opentime.amp.Amp4EmailChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AmpPartTest {

    private static final String LAYOUT = "<html><body>{{ blocks }}</body></html>";
    private static final EmailTemplate.Amp AMP = new EmailTemplate.Amp(".pick{color:#333}",
            "<h1>Hello {{ profile.firstName | default: 'there' }}</h1>",
            "{{#recommended}}<p>{{title}} {{price}}</p>{{/recommended}}",
            "<p>Picks for {{ profile.firstName | default: 'you' }} are on our site</p>", "<p>Shop Inc.</p>", 320);

    @Test
    void aTemplateThatDeclaresAmpGetsAValidAmpPartFromTheOpenTimeComposerPerRecipient() throws Exception {
        OpenTimeTokens tokens = new OpenTimeTokens(TOKENS);
        EmailRenderer renderer = new EmailRenderer(CLOCK, Optional.of(TRACKING), new RenderErrors(),
                Optional.of(AmpFeedUrls.openTime("https://t.example.com", tokens, Duration.ofDays(30))));
        CompiledEmail email = compile(html("Hi", LAYOUT, block("b", "<p>Body</p>", "")).withAmp(AMP));

        RenderedMessage m = rendered(renderer.render(email, new EmailRenderer.Request(
                profile("p1", Map.of("firstName", "<Ann>")), Map.of(), Map.of(), "m1")));

        String amp = m.amp().orElseThrow();
        Path rules = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"), "amp4email",
                "src/main/resources/validator-all.protoascii");
        assertThat(new Amp4EmailChecker(Files.readString(rules)).check(amp)).isEmpty();
        assertThat(amp).contains("<h1>Hello &lt;Ann&gt;</h1>").contains("Picks for &lt;Ann&gt; are on our site")
                .contains("{{#recommended}}<p>{{title}} {{price}}</p>{{/recommended}}").contains("height=\"320\"");
        String src = amp.substring(amp.indexOf("<amp-list src=\"") + 15);
        src = src.substring(0, src.indexOf('"'));
        assertThat(src).startsWith("https://t.example.com/o/").endsWith("/amp.json");
        String token = src.substring("https://t.example.com/o/".length(), src.length() - "/amp.json".length());
        assertThat(tokens.verify(token, OpenTimeClaim.Use.FEED)).hasValueSatisfying(c -> {
            assertThat(c.profileId()).isEqualTo("p1");
            assertThat(c.messageId()).isEqualTo("m1");
            assertThat(c.templateKey()).isEqualTo("t");
        });
        assertThat(m.html()).contains("Body"); // the HTML part is unchanged
    }

    @Test
    void withoutAFeedEndpointOrWithoutADeclarationThereIsNoAmpPart() {
        CompiledEmail declared = compile(html("Hi", LAYOUT, block("b", "<p>Body</p>", "")).withAmp(AMP));
        assertThat(rendered(new EmailRenderer(CLOCK, Optional.empty(), new RenderErrors()).render(declared,
                new EmailRenderer.Request(profile("p1", Map.of()), Map.of(), Map.of(), "m1"))).amp()).isEmpty();
        EmailRenderer withFeeds = new EmailRenderer(CLOCK, Optional.empty(), new RenderErrors(),
                Optional.of((p, msg, key, now) -> "https://t.example.com/o/x/amp.json"));
        assertThat(rendered(withFeeds.render(compile(html("Hi", LAYOUT, block("b", "<p>Body</p>", ""))),
                new EmailRenderer.Request(profile("p1", Map.of()), Map.of(), Map.of(), "m1"))).amp()).isEmpty();
    }

    @Test
    void aFeedUrlThatIsNotHttpsLeavesTheAmpPartOutAndSaysWhy() {
        EmailRenderer insecure = new EmailRenderer(CLOCK, Optional.empty(), new RenderErrors(),
                Optional.of((p, msg, key, now) -> "http://t.example.com/o/x/amp.json"));
        RenderedMessage m = rendered(insecure.render(compile(html("Hi", LAYOUT, block("b", "<p>Body</p>", "")).withAmp(AMP)),
                new EmailRenderer.Request(profile("p1", Map.of()), Map.of(), Map.of(), "m1")));
        assertThat(m.amp()).isEmpty();
        assertThat(m.fallbacksUsed()).singleElement().asString().startsWith("amp (");
        assertThat(List.of(m.html())).allSatisfy(h -> assertThat(h).contains("Body"));
    }
}
