package io.tessera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RenderCommandTest {

    @TempDir
    Path dir;

    @Test
    void rendersWithStandardLiquidSemanticsAndNoEscaping() throws Exception {
        Files.writeString(dir.resolve("t.liquid"), "{% for p in products %}{% render 'card', p: p %}{% endfor %}|{{ html }}");
        Files.writeString(dir.resolve("card.liquid"), "[{{ p.title | upcase }}]");
        Files.writeString(dir.resolve("d.json"), "{\"products\": [{\"title\": \"mug\"}, {\"title\": \"cup\"}], \"html\": \"<b>x</b>\"}");
        Run r = run("render", dir.resolve("t.liquid").toString(), "--data", dir.resolve("d.json").toString());
        assertThat(r.code).isZero();
        assertThat(r.out).isEqualTo("[MUG][CUP]|<b>x</b>");
    }

    @Test
    void emailModeEscapesProfileData() throws Exception {
        Files.writeString(dir.resolve("e.html"), "<html><body><p>Hi {{ profile.name }}</p></body></html>");
        Files.writeString(dir.resolve("d.json"), "{\"profile\": {\"name\": \"<script>x</script>\"}}");
        Run r = run("render", dir.resolve("e.html").toString(), "--data", dir.resolve("d.json").toString(), "--email", "--subject", "Hello");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("Subject: Hello");
        String html = r.out.substring(r.out.indexOf("--- html ---"));
        assertThat(html).contains("Hi &lt;script&gt;x&lt;/script&gt;").doesNotContain("<script>");
    }

    @Test
    void invalidTemplateExitsWithOne() throws Exception {
        Files.writeString(dir.resolve("bad.liquid"), "{{ x | no_such_filter }}");
        assertThat(run("render", dir.resolve("bad.liquid").toString()).code).isEqualTo(1);
    }

    @Test
    void templatesSyncStoresChangedTemplatesAsNewVersions() {
        String data = dir.resolve("data").toString();
        Run first = run("templates", "sync", "../examples/templates", "--data-dir", data);
        assertThat(first.code).isZero();
        assertThat(first.out).contains("block footer: saved version 1").contains("weekly-picks: saved version 1");
        assertThat(run("templates", "sync", "../examples/templates", "--data-dir", data).out)
                .contains("block footer: unchanged (version 1)").contains("weekly-picks: unchanged (version 1)");
        assertThat(new io.tessera.store.sqlite.SqliteTemplateStore(Path.of(data, "tessera.db")).latest("weekly-picks").orElseThrow()
                .blocks()).anySatisfy(b -> {
                    assertThat(b.key()).isEqualTo("footer");
                    assertThat(b.body()).contains("Example Shop");
                });
    }

    private record Run(int code, String out) {}

    private static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}
