package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.segment.SegmentDefinition;
import io.tessera.segment.SegmentDefinitionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SegmentDefinitionStore} adapter must do, on its real technology: every version
 * kept, the newest of each undeleted segment active (in key order), deletion as a flag that a new
 * save lifts, and a version number never stored twice.
 */
public abstract class SegmentDefinitionStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final List<SegmentDefinitionStore> opened = Collections.synchronizedList(new ArrayList<>());

    /** A store on this test's storage; opening again must see the same definitions. */
    protected abstract SegmentDefinitionStore open();

    protected final SegmentDefinitionStore store() {
        SegmentDefinitionStore s = open();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(SegmentDefinitionStore::close);
    }

    private static SegmentDefinition definition(String key, int version, String condition) {
        return new SegmentDefinition(key, "Segment " + key, condition, version, T0.plusSeconds(version));
    }

    @Test
    void everyVersionIsKeptAndTheNewestIsActive() {
        SegmentDefinitionStore store = store();
        SegmentDefinition v1 = definition("vip", 1, "traits.tier == \"gold\"");
        SegmentDefinition v2 = definition("vip", 2, "traits.tier in [\"gold\", \"platinum\"]");
        SegmentDefinition other = definition("active", 1, "true");
        store.save(v1);
        store.save(v2);
        store.save(other);

        assertThat(store.versions("vip")).containsExactly(v1, v2);
        assertThat(store.active()).containsExactly(other, v2);
        assertThat(store.latest("vip")).contains(v2);
        assertThat(store.versions("missing")).isEmpty();
    }

    @Test
    void deletionHidesASegmentUntilItIsSavedAgain() {
        SegmentDefinitionStore store = store();
        store.save(definition("vip", 1, "true"));

        store.delete("vip");
        store.delete("vip");
        assertThat(store.active()).isEmpty();
        assertThat(store.versions("vip")).hasSize(1);

        SegmentDefinition v2 = definition("vip", 2, "false");
        store.save(v2);
        assertThat(store.active()).containsExactly(v2);
    }

    @Test
    void aVersionIsNeverStoredTwice() {
        SegmentDefinitionStore store = store();
        store.save(definition("vip", 1, "true"));

        assertThatThrownBy(() -> store.save(definition("vip", 1, "false"))).isInstanceOf(RuntimeException.class);
        assertThat(store.versions("vip")).extracting(SegmentDefinition::condition).containsExactly("true");
    }

    @Test
    void definitionsSurviveCloseAndReopen() {
        SegmentDefinitionStore first = open();
        SegmentDefinition v1 = definition("vip", 1, "true");
        first.save(v1);
        first.close();

        assertThat(store().active()).containsExactly(v1);
    }
}
