package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.Suppression;
import io.tessera.delivery.SuppressionList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SuppressionList} adapter must do, on its real technology: addresses matched
 * case-insensitively, the first reason kept, listed oldest first up to a limit.
 */
public abstract class SuppressionListContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final List<SuppressionList> opened = Collections.synchronizedList(new ArrayList<>());

    /** A list on this test's storage; opening again must see the same suppressions. */
    protected abstract SuppressionList open();

    protected final SuppressionList list() {
        SuppressionList l = open();
        opened.add(l);
        return l;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(SuppressionList::close);
    }

    @Test
    void suppressionIsCaseInsensitiveAndKeepsTheFirstReason() {
        SuppressionList list = list();
        list.suppress(new Suppression("Ann@Example.com", Suppression.Reason.UNSUBSCRIBE, T0, "one-click"));
        list.suppress(new Suppression("ann@example.com", Suppression.Reason.HARD_BOUNCE, T0, "550"));

        SuppressionList reopened = list();
        assertThat(reopened.find("ANN@example.COM")).contains(
                new Suppression("ann@example.com", Suppression.Reason.UNSUBSCRIBE, T0, "one-click"));
        assertThat(reopened.isSuppressed("bob@example.com")).isFalse();
        assertThat(reopened.list(10)).hasSize(1);
    }

    @Test
    void listsOldestFirstUpToTheLimit() {
        SuppressionList list = list();
        list.suppress(new Suppression("c@example.com", Suppression.Reason.COMPLAINT, T0.plusSeconds(2), "fbl"));
        list.suppress(new Suppression("a@example.com", Suppression.Reason.MANUAL, T0, "admin"));
        list.suppress(new Suppression("b@example.com", Suppression.Reason.HARD_BOUNCE, T0.plusSeconds(1), "550"));

        assertThat(list.list(2)).extracting(Suppression::address).containsExactly("a@example.com", "b@example.com");
    }
}
