package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.EmailTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteBlockStoreTest {
    @TempDir
    Path dir;

    @Test
    void everySaveIsANewImmutableVersionThatReadsBackEqualAfterReopening() {
        EmailTemplate.Block draft = new EmailTemplate.Block("footer", 0,
                List.of(new EmailTemplate.Input("city", "profile.city", Optional.of("your town"))),
                List.of(new EmailTemplate.Variant("vip", "traits.tier == \"vip\"", "<p>VIP footer</p>")),
                "<p>Footer {{ city }}</p>", "<p>Footer</p>");
        SqliteBlockStore store = new SqliteBlockStore(dir.resolve("tessera.db"));
        EmailTemplate.Block v1 = store.save(draft);
        EmailTemplate.Block v2 = store.save(new EmailTemplate.Block("footer", 7, List.of(), List.of(), "<p>New</p>", ""));
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);

        SqliteBlockStore reopened = new SqliteBlockStore(dir.resolve("tessera.db"));
        assertThat(reopened.version("footer", 1)).contains(v1);
        assertThat(reopened.latest("footer")).contains(v2);
        assertThat(reopened.versions("footer")).containsExactly(v1, v2);
        assertThat(reopened.keys()).containsExactly("footer");
        assertThat(reopened.latest("nope")).isEmpty();
    }
}
