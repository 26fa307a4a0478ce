package io.tessera.server.content;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.content.BlockStore;
import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailTemplate;
import io.tessera.server.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The block library under {@code /api/v1/blocks}: {@code PUT /{key}} stores a new immutable
 * version ({@code {"format": "mjml"|"html", "body", "fallback", "inputs", "variants"}}, checked by
 * compiling it in a minimal layout of its format), {@code GET /} lists keys, {@code GET /{key}} the
 * latest version, {@code GET /{key}/versions} all of them, {@code GET /{key}/versions/{n}} one.
 * There is no delete: templates reference versions, and a version never changes or goes away.
 * Templates use a library block with {@code {"ref": "footer"}} (latest at save time) or
 * {@code {"ref": "footer@2"}}. Thread-safe.
 */
public final class BlockRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MJML_FRAME = "<mjml><mj-body>" + EmailTemplate.BLOCKS_SLOT + "</mj-body></mjml>";
    private static final String HTML_FRAME = "<html><body>" + EmailTemplate.BLOCKS_SLOT + "</body></html>";

    private final BlockStore blocks;
    private final EmailCompiler compiler;

    public BlockRoutes(BlockStore blocks, EmailCompiler compiler) {
        this.blocks = blocks;
        this.compiler = compiler;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/blocks", ctx -> ctx.json(Map.of("blocks", blocks.keys())));
        routes.put("/api/v1/blocks/{key}", this::save);
        routes.get("/api/v1/blocks/{key}", ctx -> ctx.json(view(blocks.latest(ctx.pathParam("key"))
                .orElseThrow(() -> new ApiException("not_found", "no block " + ctx.pathParam("key"))))));
        routes.get("/api/v1/blocks/{key}/versions", ctx -> ctx.json(Map.of("versions",
                blocks.versions(ctx.pathParam("key")).stream().map(BlockRoutes::view).toList())));
        routes.get("/api/v1/blocks/{key}/versions/{version}", ctx -> ctx.json(view(blocks.version(ctx.pathParam("key"),
                        version(ctx)).orElseThrow(() -> new ApiException("not_found", "no such block version")))));
    }

    private void save(Context ctx) {
        JsonNode body = JSON.readTree(ctx.body());
        EmailTemplate.Block draft = TemplateRoutes.block(ctx.pathParam("key"), body);
        boolean mjml = body.path("format").asString("html").equalsIgnoreCase("mjml");
        EmailTemplate probe = new EmailTemplate("block:" + draft.key(), 0, "x", "",
                mjml ? EmailTemplate.Format.MJML : EmailTemplate.Format.HTML, mjml ? MJML_FRAME : HTML_FRAME, List.of(draft));
        if (compiler.compile(probe) instanceof EmailCompiler.Verdict.Invalid invalid) {
            throw new ApiException("invalid_block", "the block does not compile", invalid.problems());
        }
        ctx.json(view(blocks.save(draft)));
    }

    /** A library block by reference: {@code key} (latest) or {@code key@version}. */
    public static Optional<EmailTemplate.Block> resolve(BlockStore library, String ref) {
        int at = ref.lastIndexOf('@');
        if (at < 0) {
            return library.latest(ref);
        }
        try {
            return library.version(ref.substring(0, at), Integer.parseInt(ref.substring(at + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int version(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw new ApiException("not_found", "no such block version");
        }
    }

    static Map<String, Object> view(EmailTemplate.Block b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", b.key());
        m.put("version", b.version());
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (EmailTemplate.Input in : b.inputs()) {
            Map<String, Object> im = new LinkedHashMap<>();
            im.put("path", in.path());
            in.defaultValue().ifPresent(d -> im.put("default", d));
            inputs.put(in.name(), im);
        }
        m.put("inputs", inputs);
        m.put("variants", b.variants().stream().map(v -> Map.of("name", v.name(), "condition", v.condition(), "body", v.body())).toList());
        m.put("body", b.body());
        m.put("fallback", b.fallback());
        return m;
    }
}
