package io.tessera.delivery.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Real-world shaped DSNs (RFC 3464) and abuse reports (RFC 5965), parsed with Jakarta Mail. */
class DsnParserTest {

    static final Instant AT = Instant.parse("2026-11-29T08:00:00Z");

    static byte[] fixture(String name) {
        try (InputStream in = DsnParserTest.class.getResourceAsStream("/bounces/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static DsnParser.Result.Report report(String name) {
        DsnParser.Result r = DsnParser.parse(fixture(name), AT);
        assertThat(r).as(name).isInstanceOf(DsnParser.Result.Report.class);
        return (DsnParser.Result.Report) r;
    }

    @Test
    void postfixUserUnknownIsAHardBounceWithOurMessageIdFromTheReturnedMessage() {
        DsnParser.Result.Report r = report("postfix-user-unknown.eml");
        assertThat(r.bounces()).singleElement().satisfies(b -> {
            assertThat(b.type()).isEqualTo(Bounce.Type.HARD);
            assertThat(b.address()).isEqualTo("r0000003@d3.example");
            assertThat(b.messageId()).contains("autumn.p0000003.1x2y3z@mail.shop.example");
            assertThat(b.status()).isEqualTo(new SmtpStatus(550, Optional.of("5.1.1")));
            assertThat(b.reason()).contains("User unknown in virtual mailbox table");
            assertThat(b.source()).isEqualTo("dsn");
        });
    }

    @Test
    void foldedDiagnosticAndHeadersOnlyOriginalAreUnderstood() {
        DsnParser.Result.Report r = report("gmail-no-such-user-headers-only.eml");
        assertThat(r.bounces()).singleElement().satisfies(b -> {
            assertThat(b.type()).isEqualTo(Bounce.Type.HARD);
            assertThat(b.address()).isEqualTo("r0000005@d0.example");
            assertThat(b.messageId()).contains("autumn.p0000005.9q8w7e@mail.shop.example");
            assertThat(b.status().code()).isEqualTo(550);
            assertThat(b.reason()).contains("does not exist").doesNotContain("\n");
        });
    }

    @Test
    void delayedIsANoticeNotABounce() {
        DsnParser.Result.Report r = report("exchange-delayed.eml");
        assertThat(r.bounces()).isEmpty();
        assertThat(r.notices()).containsExactly("r0000002@d2.example delayed");
    }

    @Test
    void eachRecipientBlockIsJudgedOnItsOwnAndExpiryAndFullMailboxAreSoft() {
        DsnParser.Result.Report r = report("exchange-expired-multi-recipient.eml");
        assertThat(r.bounces()).extracting(Bounce::address, Bounce::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("r0000004@d4.example", Bounce.Type.SOFT),
                org.assertj.core.groups.Tuple.tuple("r0000044@d4.example", Bounce.Type.SOFT));
        assertThat(r.notices()).containsExactly("postmaster@d4.example delivered");
        // no returned message: the Message-ID comes from In-Reply-To
        assertThat(r.bounces().getFirst().messageId()).contains("winter.p0000004.zz11yy@mail.shop.example");
        assertThat(r.bounces().get(1).status()).isEqualTo(new SmtpStatus(552, Optional.of("5.2.2")));
    }

    @Test
    void abuseFeedbackReportIsAComplaintForTheOriginalRecipient() {
        DsnParser.Result.Report r = report("arf-abuse-complaint.eml");
        assertThat(r.bounces()).singleElement().satisfies(b -> {
            assertThat(b.type()).isEqualTo(Bounce.Type.COMPLAINT);
            assertThat(b.address()).isEqualTo("r0000001@d1.example");
            assertThat(b.messageId()).contains("autumn.p0000001.a1b2c3@mail.shop.example");
            assertThat(b.suppresses()).isTrue();
        });
    }

    @Test
    void anAutoReplyIsNotAReport() {
        assertThat(DsnParser.parse(fixture("out-of-office.eml"), AT))
                .isEqualTo(new DsnParser.Result.NotAReport("no multipart/report part"));
        assertThat(DsnParser.parse("garbage\u0000\u0001".getBytes(), AT)).isInstanceOf(DsnParser.Result.NotAReport.class);
    }
}
