package io.tessera.delivery.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading reply codes and enhanced status codes, and which failures make an address undeliverable. */
class SmtpStatusTest {

    @Test
    void readsCodeAndEnhancedStatusFromRepliesAndDiagnosticCodes() {
        assertThat(SmtpStatus.parse("550 5.1.1 no such user")).isEqualTo(new SmtpStatus(550, Optional.of("5.1.1")));
        assertThat(SmtpStatus.parse("550-5.1.1 The email account that you tried to reach does not exist"))
                .isEqualTo(new SmtpStatus(550, Optional.of("5.1.1")));
        assertThat(SmtpStatus.parse("<ann@x>: host mx said: 452 4.2.2 over quota")).isEqualTo(new SmtpStatus(452, Optional.of("4.2.2")));
        assertThat(SmtpStatus.parse("554 rejected")).isEqualTo(new SmtpStatus(554, Optional.empty()));
        assertThat(SmtpStatus.parse("")).isEqualTo(new SmtpStatus(0, Optional.empty()));
        assertThat(SmtpStatus.of(550, "Requested action not taken: 5.7.1 spam")).isEqualTo(new SmtpStatus(550, Optional.of("5.7.1")));
    }

    @Test
    void badAddressesAreHardPolicyAndFullMailboxesAndTemporaryFailuresAreSoft() {
        assertThat(SmtpStatus.parse("550 5.1.1 user unknown").type()).isEqualTo(Bounce.Type.HARD);
        assertThat(SmtpStatus.parse("550 mailbox unavailable").type()).isEqualTo(Bounce.Type.HARD);
        assertThat(SmtpStatus.parse("551 5.2.1 mailbox disabled").type()).isEqualTo(Bounce.Type.HARD);
        assertThat(SmtpStatus.parse("552 5.2.2 mailbox full").type()).isEqualTo(Bounce.Type.SOFT);
        assertThat(SmtpStatus.parse("554 5.7.1 message rejected as spam").type()).isEqualTo(Bounce.Type.SOFT);
        assertThat(SmtpStatus.parse("451 4.7.1 greylisted").type()).isEqualTo(Bounce.Type.SOFT);
        assertThat(new SmtpStatus(0, Optional.of("4.4.7")).type()).isEqualTo(Bounce.Type.SOFT);
    }
}
