package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.BlockStore;
import io.tessera.content.EmailTemplate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link BlockStore} adapter must do: each save a new immutable version, read back equal after reopening. */
public abstract class BlockStoreContract {
    /** A block store on this test's storage; opening again must see the same blocks. */
    protected abstract BlockStore open();

    @Test
    void everySaveIsANewImmutableVersionThatReadsBackEqualAfterReopening() {
        EmailTemplate.Block draft = new EmailTemplate.Block("footer", 0,
                List.of(new EmailTemplate.Input("city", "profile.city", Optional.of("your town"))),
                List.of(new EmailTemplate.Variant("vip", "traits.tier == \"vip\"", "<p>VIP footer</p>")),
                "<p>Footer {{ city }}</p>", "<p>Footer</p>");
        BlockStore store = open();
        EmailTemplate.Block v1 = store.save(draft);
        EmailTemplate.Block v2 = store.save(new EmailTemplate.Block("footer", 7, List.of(), List.of(), "<p>New</p>", ""));
        EmailTemplate.Block header = store.save(new EmailTemplate.Block("header", 0, List.of(), List.of(), "<p>Hi</p>", ""));
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(header.version()).isEqualTo(1);

        BlockStore reopened = open();
        assertThat(reopened.version("footer", 1)).contains(v1);
        assertThat(reopened.latest("footer")).contains(v2);
        assertThat(reopened.versions("footer")).containsExactly(v1, v2);
        assertThat(reopened.keys()).containsExactly("footer", "header");
        assertThat(reopened.latest("nope")).isEmpty();
        assertThat(reopened.version("footer", 3)).isEmpty();
    }
}
