package io.tessera.server.content;

import io.tessera.content.EmailTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads email templates kept as files (so teams keep them in git). A template is a directory
 * with a {@code template.json}:
 * <pre>{@code
 * {"subject": "Hi {{ profile.firstName | default: 'there' }}", "preheader": "…",
 *  "layout": "layout.mjml",
 *  "blocks": [{"key": "hero", "body": "hero.mjml", "fallback": "hero-fallback.mjml",
 *              "inputs": {"name": {"path": "profile.firstName", "default": "there"}},
 *              "variants": [{"name": "vip", "condition": "traits.tier == \"vip\"", "body": "hero-vip.mjml"}]}]}
 * }</pre>
 * The format is MJML when the layout file ends in {@code .mjml}, HTML otherwise. File names are
 * relative to the template directory; a block's {@code body} may also be given inline with
 * {@code bodyText}.
 */
public final class TemplateDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplateDirectory() {}

    public static boolean isTemplate(Path dir) {
        return Files.isRegularFile(dir.resolve("template.json"));
    }

    /** All template directories directly under {@code root}, by key (the directory name). */
    public static List<EmailTemplate> loadAll(Path root, int version) {
        List<EmailTemplate> out = new ArrayList<>();
        try (var dirs = Files.list(root)) {
            dirs.filter(TemplateDirectory::isTemplate).sorted().forEach(d -> out.add(load(d, version)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Stores every template under {@code root} (if it exists) as a new version; used by {@code tessera demo}. */
    public static void syncIfPresent(Path root, Path dbFile, java.io.PrintStream out) {
        if (!Files.isDirectory(root)) {
            return;
        }
        io.tessera.store.sqlite.SqliteTemplateStore store = new io.tessera.store.sqlite.SqliteTemplateStore(dbFile);
        for (EmailTemplate t : loadAll(root, 0)) {
            out.println("template " + t.key() + ": version " + store.save(t).version() + " (from " + root + ")");
        }
    }

    /** The library directory beside template directories: {@code ROOT/blocks/KEY/block.json}. */
    public static final String BLOCKS_DIR = "blocks";

    /** A template whose {@code {"ref": "key"}} blocks come from {@code ../blocks/} files (as version 1). */
    public static EmailTemplate load(Path dir, int version) {
        Path library = dir.toAbsolutePath().getParent().resolve(BLOCKS_DIR);
        return load(dir, version, ref -> {
            String key = ref.contains("@") ? ref.substring(0, ref.lastIndexOf('@')) : ref;
            Path b = library.resolve(key);
            if (!Files.isRegularFile(b.resolve("block.json"))) {
                throw new IllegalArgumentException(dir.getFileName() + ": no library block " + ref + " in " + library);
            }
            return block(b, key, JSON.readTree(read(b, "block.json")));
        });
    }

    /**
     * The library blocks under {@code root/blocks/}: one directory per block key holding
     * {@code block.json} ({@code body}, {@code fallback} as file names or {@code bodyText} /
     * {@code fallbackText}, {@code inputs}, {@code variants} — the template block format).
     */
    public static List<EmailTemplate.Block> loadBlocks(Path root) {
        Path library = root.resolve(BLOCKS_DIR);
        List<EmailTemplate.Block> out = new ArrayList<>();
        if (!Files.isDirectory(library)) {
            return out;
        }
        try (var dirs = Files.list(library)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("block.json"))).sorted()
                    .forEach(d -> out.add(block(d, d.getFileName().toString(), JSON.readTree(read(d, "block.json")))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A template whose {@code {"ref": "key[@version]"}} blocks come from {@code library}. */
    public static EmailTemplate load(Path dir, int version, java.util.function.Function<String, EmailTemplate.Block> library) {
        JsonNode t = JSON.readTree(read(dir, "template.json"));
        String layoutFile = t.path("layout").asString("layout.html");
        EmailTemplate.Format format = layoutFile.endsWith(".mjml") ? EmailTemplate.Format.MJML : EmailTemplate.Format.HTML;
        List<EmailTemplate.Block> blocks = new ArrayList<>();
        for (JsonNode b : t.path("blocks")) {
            if (b.has("ref")) {
                blocks.add(library.apply(b.get("ref").asString()));
            } else {
                blocks.add(block(dir, b.path("key").asString(), b));
            }
        }
        EmailTemplate loaded = new EmailTemplate(dir.getFileName().toString(), version, t.path("subject").asString(""),
                t.path("preheader").asString(""), format, read(dir, layoutFile), blocks);
        return Files.isRegularFile(dir.resolve("amp.json")) ? loaded.withAmp(amp(JSON.readTree(read(dir, "amp.json")))) : loaded;
    }

    /**
     * The AMP part declared in {@code amp.json} beside {@code template.json} (the same file the
     * open-time feed declaration reads): {@code css}, {@code header}, {@code item} (amp-mustache),
     * {@code fallback}, {@code footer}, {@code height}; header, fallback and footer may use Liquid.
     */
    public static EmailTemplate.Amp amp(JsonNode a) {
        return new EmailTemplate.Amp(a.path("css").asString(""), a.path("header").asString(""), a.path("item").asString(""),
                a.path("fallback").asString(""), a.path("footer").asString(""), a.path("height").asInt(300));
    }

    private static EmailTemplate.Block block(Path dir, String key, JsonNode b) {
        List<EmailTemplate.Input> inputs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> in : b.path("inputs").properties()) {
            JsonNode d = in.getValue().get("default");
            Optional<Object> def = d == null || d.isNull() ? Optional.empty() : Optional.of(JSON.convertValue(d, Object.class));
            inputs.add(new EmailTemplate.Input(in.getKey(), in.getValue().path("path").asString(), def));
        }
        List<EmailTemplate.Variant> variants = new ArrayList<>();
        for (JsonNode v : b.path("variants")) {
            variants.add(new EmailTemplate.Variant(v.path("name").asString(), v.path("condition").asString(), body(dir, v)));
        }
        String fallback = b.has("fallback") ? read(dir, b.get("fallback").asString()) : b.path("fallbackText").asString("");
        return new EmailTemplate.Block(key, b.path("version").asInt(1), inputs, variants, body(dir, b), fallback);
    }

    private static String body(Path dir, JsonNode n) {
        return n.has("body") ? read(dir, n.get("body").asString()) : n.path("bodyText").asString("");
    }

    private static String read(Path dir, String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
