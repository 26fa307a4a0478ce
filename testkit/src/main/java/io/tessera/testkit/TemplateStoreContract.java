package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.EmailTemplate;
import io.tessera.content.TemplateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TemplateStore} adapter must do, on its real technology: every save is a new
 * immutable version numbered 1, 2, … per key (also when saves race), read back equal, also after
 * reopening.
 */
public abstract class TemplateStoreContract {

    /** A store on this test's storage; opening again must see the same versions. */
    protected abstract TemplateStore open();

    private static EmailTemplate draft(String key, String subject) {
        return new EmailTemplate(key, 0, subject, "pre", EmailTemplate.Format.MJML,
                "<mjml><mj-body>{{ blocks }}</mj-body></mjml>", List.of(new EmailTemplate.Block("hero", 2,
                List.of(new EmailTemplate.Input("name", "profile.firstName", Optional.of("there"))),
                List.of(new EmailTemplate.Variant("vip", "traits.tier == \"vip\"", "<mj-text>VIP</mj-text>")),
                "<mj-text>Hi</mj-text>", "<mj-text>Hello</mj-text>")));
    }

    @Test
    void everySaveIsANewImmutableVersionThatSurvivesReopening() {
        TemplateStore store = open();
        EmailTemplate v1 = store.save(draft("welcome", "Hi {{ profile.firstName }}"));
        EmailTemplate v2 = store.save(draft("welcome", "Changed"));
        store.save(draft("another", "Other"));

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        TemplateStore reopened = open();
        assertThat(reopened.version("welcome", 1)).contains(v1);
        assertThat(reopened.version("welcome", 3)).isEmpty();
        assertThat(reopened.latest("welcome")).contains(v2);
        assertThat(reopened.versions("welcome")).containsExactly(v1, v2);
        assertThat(reopened.keys()).containsExactly("another", "welcome");
        assertThat(reopened.versions("missing")).isEmpty();
        assertThat(reopened.latest("missing")).isEmpty();
    }

    @Test
    void concurrentSavesGetDistinctVersions() throws Exception {
        TemplateStore store = open();
        ConcurrentLinkedQueue<Integer> versions = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 8; i++) {
            int n = i;
            pool.submit(() -> versions.add(store.save(draft("race", "subject " + n)).version()));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(new ArrayList<>(versions)).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(store.versions("race")).extracting(EmailTemplate::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }
}
