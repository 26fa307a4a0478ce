package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.profile.FencedCommitException;
import io.tessera.quality.DataDictionary;
import io.tessera.testkit.DataDictionaryContract;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresDataDictionaryTest extends DataDictionaryContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected DataDictionary open() {
        return new PostgresDataDictionary(db.get());
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }

    private static List<DataDictionary.Entry> views(long count) {
        return List.of(new DataDictionary.Entry("Viewed", "", "event", count, T0, T0));
    }

    /** Two nodes both believe they own partition 0 of the dictionary's group: the zombie's late batch is not counted. */
    @Test
    void zombiesLateBatchIsRolledBackAndNotCountedTwice() {
        PostgresDataDictionary zombie = new PostgresDataDictionary(db.get());
        PostgresDataDictionary successor = new PostgresDataDictionary(db.get());
        assertThat(zombie.resumeAfter(0)).isEqualTo(-1);
        zombie.record(0, 2, views(3));                      // offsets 0..2, then the zombie stalls
        assertThat(successor.resumeAfter(0)).isEqualTo(2);
        successor.record(0, 4, views(2));                   // offsets 3..4

        assertThatThrownBy(() -> zombie.record(0, 4, views(2)))  // the zombie's redelivered 3..4
                .isInstanceOfSatisfying(FencedCommitException.class, f -> {
                    assertThat(f.expected()).isEqualTo(2);
                    assertThat(f.stored()).isEqualTo(4);
                });
        assertThatThrownBy(() -> zombie.record(0, 5, views(1))).isInstanceOf(FencedCommitException.class);

        assertThat(successor.entries()).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(5));
        assertThat(successor.resumeAfter(0)).isEqualTo(4);
        // rewound to the stored offset, the node goes on from there (if it still owns the partition)
        assertThat(zombie.resumeAfter(0)).isEqualTo(4);
        zombie.record(0, 5, views(1));
        assertThat(successor.entries()).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(6));
    }
}
