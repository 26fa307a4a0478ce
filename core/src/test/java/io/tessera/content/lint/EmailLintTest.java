package io.tessera.content.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.EmailTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmailLintTest {

    static CanIEmail caniemail;

    @BeforeAll
    static void load() throws IOException {
        Path dir = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"), "caniemail", "features");
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        caniemail = CanIEmail.parse(files);
    }

    @Test
    void flexboxIsReportedAsBrokenInOutlookOnWindows() {
        List<EmailLint.Finding> f = new EmailLint(caniemail).lintHtml(
                "<html><body><div style=\"display: flex\">a</div></body></html>");
        assertThat(f).anySatisfy(x -> {
            assertThat(x.feature()).isEqualTo("css-display-flex");
            assertThat(x.severity()).isEqualTo("warning");
            assertThat(x.clients()).contains("outlook/windows");
        });
    }

    @Test
    void plainTableLayoutHasNoSupportWarnings() {
        List<EmailLint.Finding> f = new EmailLint(caniemail).lintHtml(
                "<html><body><table><tr><td>hello</td></tr></table></body></html>");
        assertThat(f).noneMatch(x -> x.severity().equals("warning"));
    }

    @Test
    void htmlOverGmailsClippingLimitIsAnError() {
        String big = "<html><body><p>" + "x".repeat(EmailLint.GMAIL_CLIP_BYTES + 10) + "</p></body></html>";
        assertThat(new EmailLint(caniemail).lintHtml(big)).anySatisfy(x -> {
            assertThat(x.kind()).isEqualTo("size");
            assertThat(x.severity()).isEqualTo("error");
        });
    }

    @Test
    void fallbackCoverageFlagsDataReadsWithoutDefaultOrFallback() {
        EmailTemplate t = new EmailTemplate("t", 1, "Hi {{ profile.firstName }}", "", EmailTemplate.Format.HTML,
                "<html><body>{{ blocks }}</body></html>", List.of(
                new EmailTemplate.Block("covered", 1, List.of(), List.of(), "<p>{{ profile.city }}</p>", "<p>hello</p>"),
                new EmailTemplate.Block("defaulted", 1, List.of(), List.of(), "<p>{{ profile.plan | default: 'free' }}</p>", ""),
                new EmailTemplate.Block("bare", 1, List.of(new EmailTemplate.Input("x", "profile.x", Optional.of("1"))), List.of(),
                        "<p>{{ x }} {{ event.sku }}</p>", "")));
        assertThat(EmailLint.fallbackCoverage(t)).extracting(EmailLint.Finding::feature)
                .containsExactly("profile.firstName", "event.sku");
    }

    @Test
    void campaignSideCheckRefusesAnUncoveredVersionAndAcceptsACoveredOne() {
        EmailTemplate uncovered = new EmailTemplate("promo", 4, "Hi {{ profile.firstName }}", "", EmailTemplate.Format.HTML,
                "<html><body><p>x</p></body></html>", List.of());
        EmailTemplate covered = new EmailTemplate("promo", 5, "Hi {{ profile.firstName | default: 'there' }}", "",
                EmailTemplate.Format.HTML, "<html><body><p>x</p></body></html>", List.of());
        assertThat(EmailLint.checkFallbackCoverage(uncovered)).isInstanceOfSatisfying(EmailLint.CoverageVerdict.Uncovered.class,
                u -> assertThat(u.reasons()).singleElement().asString().contains("profile.firstName"));
        assertThat(EmailLint.checkFallbackCoverage(covered)).isEqualTo(new EmailLint.CoverageVerdict.Covered("promo", 5));
    }
}
