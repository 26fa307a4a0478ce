package io.tessera.content;

import static io.tessera.content.EmailFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.LiquidTemplate;
import io.tessera.content.liquid.RenderOutcome;
import io.tessera.content.liquid.SnippetSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * liqp's parsed templates are not thread-safe; pooled copies must keep concurrent renders from
 * ever mixing two recipients' data. Many threads render one shared template (with a loop, a
 * snippet and assigns — the state liqp keeps per render) for random recipients and each output
 * must be exactly that recipient's.
 */
class ConcurrentRenderTest {

    @Test
    void concurrentRendersNeverMixRecipients() throws Exception {
        long seed = new Random().nextLong();
        LiquidEngine engine = LiquidEngine.standard(SnippetSource.of(Map.of("item", "[{{ p }}]")));
        LiquidTemplate t = engine.parse("{% assign who = name | upcase %}{{ who }}:{% for p in items %}"
                + "{% render 'item', p: p %}{% endfor %}:{{ name }}").orThrow();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int thread = 0; thread < 16; thread++) {
                long threadSeed = seed + thread;
                results.add(pool.submit(() -> {
                    Random rnd = new Random(threadSeed);
                    for (int i = 0; i < 400; i++) {
                        String name = "user" + rnd.nextInt(1_000_000);
                        List<Object> items = new ArrayList<>();
                        int n = 1 + rnd.nextInt(6);
                        StringBuilder expected = new StringBuilder(name.toUpperCase()).append(':');
                        for (int k = 0; k < n; k++) {
                            items.add(name + "-" + k);
                            expected.append('[').append(name).append('-').append(k).append(']');
                        }
                        expected.append(':').append(name);
                        RenderOutcome out = t.render(Map.of("name", name, "items", items));
                        if (!(out instanceof RenderOutcome.Rendered r) || !r.output().contentEquals(expected)) {
                            return "seed " + threadSeed + ": expected " + expected + " got " + out;
                        }
                    }
                    return "ok";
                }));
            }
            for (Future<String> f : results) {
                assertThat(f.get()).as("seed %d", seed).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentEmailRendersNeverMixRecipients() throws Exception {
        CompiledEmail email = compile(html("Hi {{ profile.name }}", "<html><body>{{ blocks }}</body></html>",
                block("b", "<p>{{ profile.name }}</p>{% for i in (1..3) %}<i>{{ profile.name }}{{ i }}</i>{% endfor %}", "")));
        EmailRenderer renderer = new EmailRenderer(CLOCK, Optional.of(TRACKING), new RenderErrors());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int th = thread;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        String name = "n" + th + "x" + i;
                        RenderedMessage m = rendered(renderer.render(email, new EmailRenderer.Request(
                                profile("p" + th, Map.of("name", name)), Map.of(), Map.of(), "m" + i)));
                        String expected = "<p>" + name + "</p><i>" + name + "1</i><i>" + name + "2</i><i>" + name + "3</i>";
                        if (!m.html().contains(expected) || !m.subject().equals("Hi " + name)) {
                            return "mixed: " + m.subject() + " " + m.html();
                        }
                    }
                    return "ok";
                }));
            }
            for (Future<String> f : results) {
                assertThat(f.get()).isEqualTo("ok");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
