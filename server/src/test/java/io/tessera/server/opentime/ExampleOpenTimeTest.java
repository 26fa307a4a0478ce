package io.tessera.server.opentime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.opentime.FeedDeclaration;
import io.tessera.opentime.amp.Amp4EmailChecker;
import io.tessera.opentime.amp.AmpEmailComposer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped example template declares a feed and live images, and its AMP part passes the checker. */
class ExampleOpenTimeTest {
    static final Path EXAMPLES = Path.of("../examples/templates");
    static final Path AMP_RULES = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"),
            "amp4email/src/main/resources/validator-all.protoascii");

    @Test
    void weeklyPicksDeclaresAFeedLiveImagesAndAnAmpPartThatChecksClean() throws Exception {
        FeedDeclarationFiles files = FeedDeclarationFiles.load(EXAMPLES);
        FeedDeclaration d = files.declaration("weekly-picks").orElseThrow();
        assertThat(d.fieldNames()).containsExactly("firstName", "points", "lastViewed", "picks");
        assertThat(d.image("hero")).isPresent();
        assertThat(d.image("pick")).isPresent();

        String amp = new AmpEmailComposer().compose(files.ampBlock("weekly-picks").orElseThrow(),
                "https://mail.shop.example.com/o/TOKEN/amp.json");
        assertThat(new Amp4EmailChecker(Files.readString(AMP_RULES)).check(amp)).isEmpty();
        assertThat(amp).contains("{{#picks}}", "<amp-img src=\"{{image}}\" width=\"120\" height=\"120\"", "<div fallback>");
    }
}
