package io.tessera.server.ops;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/openapi.json}: an OpenAPI 3.1 document of every route the running server has,
 * read from the router at request time, so it cannot drift from the code: each path with its
 * methods, path parameters, the way it authenticates (write key, admin bearer token, signed token in
 * the path, HMAC signature) and the common error shape. Request and answer bodies are described in
 * the docs/ pages each operation links to. Public, like {@code /healthz}.
 */
public final class OpenApiRoutes {
    private static final Set<HandlerType> METHODS = Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.DELETE, HandlerType.PATCH);
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    /** Groups of paths: prefix, tag, security scheme (empty = public), the docs page that tells the bodies. */
    private record Area(String prefix, String tag, String security, String doc) {}

    private static final List<Area> AREAS = List.of(
            new Area("/v1/", "ingestion", "writeKey", "docs/INGEST.md"),
            new Area("/hooks/", "webhooks", "", "docs/INGEST.md#webhooks-in-crm-shop-and-form-tools"),
            new Area("/t/", "tracking", "", "docs/CAMPAIGNS.md"),
            new Area("/o/", "open-time", "", "docs/OPEN-TIME.md"),
            new Area("/api/v1/segments", "segments", "adminToken", "docs/SEGMENTS.md"),
            new Area("/api/v1/models", "segments", "adminToken", "docs/SEGMENTS.md"),
            new Area("/api/v1/templates", "content", "adminToken", "docs/TEMPLATES.md"),
            new Area("/api/v1/blocks", "content", "adminToken", "docs/TEMPLATES.md"),
            new Area("/api/v1/campaigns", "campaigns", "adminToken", "docs/CAMPAIGNS.md"),
            new Area("/api/v1/outbox", "campaigns", "adminToken", "docs/CAMPAIGNS.md"),
            new Area("/api/v1/suppressions", "campaigns", "adminToken", "docs/CAMPAIGNS.md"),
            new Area("/api/v1/hooks", "webhooks", "adminToken", "docs/INGEST.md"),
            new Area("/api/v1/pulls", "sync", "adminToken", "docs/INGEST.md"),
            new Area("/api/v1/", "admin", "adminToken", "README.md"),
            new Area("/", "operations", "", "README.md"));

    private final Supplier<Javalin> server;

    /** @param server the running server whose routes are described (known once it is built) */
    public OpenApiRoutes(Supplier<Javalin> server) {
        this.server = server;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/openapi.json", ctx -> ctx.json(document()));
    }

    Map<String, Object> document() {
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        for (ParsedEndpoint p : server.get().unsafe.internalRouter.allHttpHandlers()) {
            HandlerType method = p.endpoint.method;
            String path = p.endpoint.path;
            if (!METHODS.contains(method) || path.contains("*")) {
                continue;
            }
            paths.computeIfAbsent(path, k -> new TreeMap<>()).put(method.name().toLowerCase(Locale.ROOT), operation(method, path));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Tessera", "version", "1",
                "description", "Real-time email personalization. Errors are {\"error\": {\"code\", \"message\", \"details\"}}."));
        doc.put("paths", paths);
        doc.put("components", Map.of(
                "securitySchemes", Map.of(
                        "writeKey", Map.of("type", "http", "scheme", "basic", "description", "the write key as the user name (Segment's convention), or writeKey in the body"),
                        "adminToken", Map.of("type", "http", "scheme", "bearer", "description", "the admin token")),
                "schemas", Map.of("Error", Map.of("type", "object", "required", List.of("error"), "properties", Map.of("error",
                        Map.of("type", "object", "required", List.of("code", "message"), "properties", Map.of(
                                "code", Map.of("type", "string"), "message", Map.of("type", "string"),
                                "details", Map.of("type", "array", "items", Map.of())))))),
                "responses", Map.of("Error", Map.of("description", "a refused request; the code is machine-readable",
                        "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error")))))));
        return doc;
    }

    private static Map<String, Object> operation(HandlerType method, String path) {
        Area area = AREAS.stream().filter(a -> path.startsWith(a.prefix())).findFirst().orElseThrow();
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", method.name().toLowerCase(Locale.ROOT) + path.replaceAll("[^A-Za-z0-9]+", "_"));
        op.put("tags", List.of(area.tag()));
        op.put("description", "See " + area.doc() + (area.prefix().equals("/hooks/") ? "; signed with the source's HMAC secret." : "")
                + (area.prefix().equals("/t/") || area.prefix().equals("/o/") ? "; {token} is a signed, expiring token." : ""));
        List<Object> params = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        op.put("security", area.security().isEmpty() || path.equals("/api/openapi.json") ? List.of() : List.of(Map.of(area.security(), List.of())));
        op.put("responses", Map.of("200", Map.of("description", "success"), "4XX", Map.of("$ref", "#/components/responses/Error")));
        return op;
    }
}
