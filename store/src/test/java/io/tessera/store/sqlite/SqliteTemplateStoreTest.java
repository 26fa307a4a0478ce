package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.EmailTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteTemplateStoreTest {

    @TempDir
    Path dir;

    @Test
    void everySaveIsANewImmutableVersionThatSurvivesReopening() {
        EmailTemplate draft = new EmailTemplate("welcome", 0, "Hi {{ profile.firstName }}", "pre", EmailTemplate.Format.MJML,
                "<mjml><mj-body>{{ blocks }}</mj-body></mjml>", List.of(new EmailTemplate.Block("hero", 2,
                List.of(new EmailTemplate.Input("name", "profile.firstName", Optional.of("there"))),
                List.of(new EmailTemplate.Variant("vip", "traits.tier == \"vip\"", "<mj-text>VIP</mj-text>")),
                "<mj-text>Hi</mj-text>", "<mj-text>Hello</mj-text>")));
        SqliteTemplateStore store = new SqliteTemplateStore(dir.resolve("tessera.db"));
        EmailTemplate v1 = store.save(draft);
        EmailTemplate v2 = store.save(new EmailTemplate("welcome", 0, "Changed", "pre", EmailTemplate.Format.MJML, draft.layout(), draft.blocks()));
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        SqliteTemplateStore reopened = new SqliteTemplateStore(dir.resolve("tessera.db"));
        assertThat(reopened.version("welcome", 1)).contains(v1);
        assertThat(reopened.latest("welcome")).contains(v2);
        assertThat(reopened.keys()).containsExactly("welcome");
        assertThat(reopened.versions("missing")).isEmpty();
    }
}
