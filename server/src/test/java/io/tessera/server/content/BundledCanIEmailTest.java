package io.tessera.server.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.lint.CanIEmail;
import io.tessera.content.lint.EmailLint;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundledCanIEmailTest {

    @Test
    void bundledTablesAreExactlyWhatTheSharedDataSetGives() throws Exception {
        Path features = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"), "caniemail", "features");
        String expected = BundledCanIEmail.fromFeaturesDir(features).toCompact();
        String bundled;
        try (InputStream in = BundledCanIEmail.class.getResourceAsStream(BundledCanIEmail.RESOURCE)) {
            bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(bundled).as("regenerate with BundledCanIEmail.main (see its javadoc)").isEqualTo(expected);
        assertThat(BundledCanIEmail.class.getResource("caniemail-LICENSE.txt")).isNotNull();
    }

    @Test
    void lintFromTheBundleAloneReportsFlexboxBrokenInOutlookOnWindows() {
        CanIEmail bundled = BundledCanIEmail.load();
        assertThat(bundled.features()).hasSizeGreaterThan(200);
        List<EmailLint.Finding> f = new EmailLint(bundled).lintHtml(
                "<html><body><div style=\"display:flex\">x</div></body></html>");
        assertThat(f).anySatisfy(x -> {
            assertThat(x.feature()).isEqualTo("css-display-flex");
            assertThat(x.clients()).contains("outlook/windows");
        });
    }
}
