package io.tessera.log.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdIndexTest {
    private final Map<Long, String> rows = new HashMap<>();

    private boolean holds(long offset, String messageId) {
        return messageId.equals(rows.get(offset));
    }

    @Test
    void aHashCollisionIsNotADuplicate() {
        MessageIdIndex index = new MessageIdIndex(0);
        rows.put(0L, "a");
        index.add(42, 0);

        assertThat(index.contains("b", 42, this::holds)).isFalse();
        assertThat(index.contains("a", 42, this::holds)).isTrue();

        rows.put(1L, "b");
        index.add(42, 1);
        assertThat(index.contains("b", 42, this::holds)).isTrue();
    }

    @Test
    void findsEveryStoredIdAfterGrowingAndNoOther() {
        MessageIdIndex index = new MessageIdIndex(0);
        Random rnd = new Random(11);
        for (long offset = 0; offset < 50_000; offset++) {
            String id = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
            rows.put(offset, id);
            index.add(MessageIdIndex.hash(id), offset);
        }

        assertThat(index.size()).isEqualTo(50_000);
        assertThat(rows.values()).allMatch(id -> index.contains(id, MessageIdIndex.hash(id), this::holds));
        for (int i = 0; i < 1000; i++) {
            String fresh = "fresh-" + i;
            assertThat(index.contains(fresh, MessageIdIndex.hash(fresh), this::holds)).isFalse();
        }
    }
}
