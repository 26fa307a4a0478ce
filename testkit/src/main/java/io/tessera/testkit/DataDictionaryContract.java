package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.quality.DataDictionary;
import io.tessera.quality.DataDictionary.Entry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DataDictionary} adapter must do, on its real technology: counts added up per
 * (event, property, type) with the first and last time seen, entries in key order, and the resume
 * offset per partition written with them.
 */
public abstract class DataDictionaryContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    /** A dictionary on this test's storage; opening again must see the same entries. */
    protected abstract DataDictionary open();

    @Test
    void countsAddUpAndKeepTheFirstAndLastTimeSeen() {
        DataDictionary dictionary = open();
        assertThat(dictionary.resumeAfter(0)).isEqualTo(-1);

        dictionary.record(0, 10, List.of(new Entry("Order Completed", "revenue", "number", 3, T0.plusSeconds(10), T0.plusSeconds(20)),
                new Entry("Order Completed", "sku", "string", 3, T0, T0)));
        dictionary.record(0, 20, List.of(new Entry("Order Completed", "revenue", "number", 2, T0, T0.plusSeconds(30)),
                new Entry("Order Completed", "revenue", "string", 1, T0.plusNanos(1), T0.plusNanos(1))));
        dictionary.record(2, 5, List.of());

        DataDictionary reopened = open();
        assertThat(reopened.entries()).containsExactly(
                new Entry("Order Completed", "revenue", "number", 5, T0, T0.plusSeconds(30)),
                new Entry("Order Completed", "revenue", "string", 1, T0.plusNanos(1), T0.plusNanos(1)),
                new Entry("Order Completed", "sku", "string", 3, T0, T0));
        assertThat(reopened.resumeAfter(0)).isEqualTo(20);
        assertThat(reopened.resumeAfter(2)).isEqualTo(5);
        assertThat(reopened.resumeAfter(1)).isEqualTo(-1);
    }
}
