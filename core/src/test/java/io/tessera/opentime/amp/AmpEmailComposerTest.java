package io.tessera.opentime.amp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AmpEmailComposerTest {
    static final Path DATA = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"), "amp4email");
    static Amp4EmailChecker checker;

    @BeforeAll
    static void loadRules() throws IOException {
        checker = new Amp4EmailChecker(Files.readString(DATA.resolve("src/main/resources/validator-all.protoascii")));
    }

    static final AmpFeedBlock BLOCK = new AmpFeedBlock("Your picks", ".pick{color:#333}",
            "<h1>Hello</h1><p onclick=\"steal()\" style=\"color:red\">Picked for you</p><script>alert(1)</script>",
            "<p>Hi {{firstName}}, you have {{points}} points</p>{{#picks}}<a href=\"{{url}}\"><amp-img src=\"{{image}}\" "
                    + "width=\"200\" height=\"200\" alt=\"{{name}}\"></amp-img>{{name}} {{price}}</a>{{/picks}}"
                    + "<img src=\"https://img.example.com/x.png\"><iframe src=\"https://evil.example\"></iframe>",
            "<p>See <a href=\"https://shop.example.com/new\">new arrivals</a> <a href=\"javascript:alert(1)\">x</a></p>",
            "<p>Shop Inc.</p><form action=\"https://evil.example\"><input name=\"q\"></form>", 320);

    @Test
    void theComposedPartIsValidAmp4EmailEvenFromHostileTemplateHtml() {
        String amp = new AmpEmailComposer().compose(BLOCK, "https://t.example.com/o/TOKEN/amp.json");

        assertThat(checker.check(amp)).isEmpty();
        assertThat(amp).startsWith("<!doctype html>\n<html ⚡4email data-css-strict>")
                .contains("<amp-list src=\"https://t.example.com/o/TOKEN/amp.json\" layout=\"fixed-height\" height=\"320\"")
                .contains("<template type=\"amp-mustache\">").contains("<div fallback>")
                .contains("{{#picks}}").contains("src=\"{{image}}\"")
                .doesNotContain("<script>alert").doesNotContain("onclick").doesNotContain("javascript:")
                .doesNotContain("<iframe").doesNotContain("<form").doesNotContain("<img ").doesNotContain("style=\"");
    }

    @Test
    void theCheckerCatchesWhatTheComposerMustNeverProduce() {
        String ok = new AmpEmailComposer().compose(BLOCK, "https://t.example.com/o/TOKEN/amp.json");
        assertThat(checker.check(ok.replace("<p>Shop Inc.</p>", "<p>Shop</p><iframe src=\"https://x\"></iframe>"))).contains("DISALLOWED_TAG");
        assertThat(checker.check(ok.replace("<p>Shop Inc.</p>", "<p onclick=\"x()\">Shop</p>"))).contains("DISALLOWED_ATTR");
        assertThat(checker.check(ok.replace("https://t.example.com/o/TOKEN/amp.json", "http://t.example.com/feed"))).contains("INVALID_URL_PROTOCOL");
        assertThat(checker.check(ok.replace("<script async custom-element=\"amp-list\" src=\"https://cdn.ampproject.org/v0/amp-list-0.1.js\"></script>", "")))
                .contains("MISSING_REQUIRED_EXTENSION");
        assertThat(checker.check(ok.replace(".pick{color:#333}", ".pick{color:#333 !important}"))).isNotEmpty();
        assertThat(checker.check(ok.replace("<style amp4email-boilerplate>body{visibility:hidden}</style>", ""))).contains("MANDATORY_TAG_MISSING");
    }

    /**
     * The checker against the AMP validator's own verdicts on its 78 reference documents (73 with
     * a recorded PASS/FAIL; rows without one are skipped). It covers a subset of the rules, so it
     * misses some failures; the figure is recorded in docs/OPEN-TIME.md and guarded here.
     */
    @Test
    void checkerAgreesWithTheValidatorOnTheReferenceDocuments() throws IOException {
        List<String> rows = Files.readAllLines(DATA.resolve("validator-java-expected-results.csv"), StandardCharsets.UTF_8);
        int compared = 0;
        int agreed = 0;
        int falsePasses = 0;
        int falseFails = 0;
        List<String> disagreements = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",", -1);
            String expected = c[4];
            if (!(expected.equals("PASS") || expected.equals("FAIL")) || !c[2].equals("AMP4EMAIL")) {
                continue;
            }
            Path file = DATA.resolve("src/test/resources").resolve(c[0]);
            if (!Files.exists(file)) {
                continue;
            }
            compared++;
            boolean passes = checker.check(Files.readString(file, StandardCharsets.UTF_8)).isEmpty();
            if (passes == expected.equals("PASS")) {
                agreed++;
            } else {
                disagreements.add(c[0] + " expected " + expected);
                if (passes) {
                    falsePasses++;
                } else {
                    falseFails++;
                }
            }
        }
        System.out.printf("AMP4EMAIL checker: agreed %d/%d (false PASS %d, false FAIL %d)%n  %s%n",
                agreed, compared, falsePasses, falseFails, String.join("\n  ", disagreements));
        assertThat(compared).isGreaterThanOrEqualTo(60);
        assertThat(agreed).as(String.join("\n", disagreements)).isGreaterThanOrEqualTo(FLOOR);
        assertThat(falseFails).as("the checker must not reject documents the validator accepts").isLessThanOrEqualTo(FALSE_FAIL_CEILING);
    }

    /*
     * The recorded verdicts are validator-java's (rules of 2024-11); the current official engine
     * accepts two of its FAIL documents (empty boilerplate, relative CSS URL) and so does the
     * checker now. Agreement with the official engine itself: OfficialAmpValidationTest (server).
     */
    static final int FLOOR = 42;
    static final int FALSE_FAIL_CEILING = 1;
}
