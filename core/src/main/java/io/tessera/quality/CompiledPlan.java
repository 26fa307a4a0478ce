package io.tessera.quality;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link TrackingPlan} with its schema compiled once (networknt json-schema-validator, draft
 * 2020-12, error locations as JSON pointers, no remote {@code $ref} fetching: the core does no
 * I/O). {@link #compile} first validates the schema document against the 2020-12 meta-schema, so
 * a plan that is not valid JSON Schema is refused with the problems named. Immutable, thread-safe.
 */
public final class CompiledPlan {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()));
    private static final Schema META = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private final TrackingPlan plan;
    private final Schema schema;
    private final Optional<Set<String>> declared;

    private CompiledPlan(TrackingPlan plan, Schema schema, Optional<Set<String>> declared) {
        this.plan = plan;
        this.schema = schema;
        this.declared = declared;
    }

    /** The compiled plan, or the problems with its schema. */
    public sealed interface Compilation {
        record Compiled(CompiledPlan plan) implements Compilation {}

        record Rejected(List<String> problems) implements Compilation {
            public Rejected {
                problems = List.copyOf(problems);
            }
        }
    }

    public static Compilation compile(TrackingPlan plan) {
        JsonNode doc;
        try {
            doc = JSON.readTree(plan.schema());
        } catch (RuntimeException e) {
            return new Compilation.Rejected(List.of("the schema is not JSON: " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (doc == null || !(doc.isObject() || doc.isBoolean())) {
            return new Compilation.Rejected(List.of("a schema is a JSON object (or true/false)"));
        }
        if (doc.isObject() && doc.has("$schema") && !doc.get("$schema").asString().startsWith("https://json-schema.org/draft/2020-12/")) {
            return new Compilation.Rejected(List.of("$schema must be draft 2020-12 (https://json-schema.org/draft/2020-12/schema)"));
        }
        List<String> problems = new ArrayList<>();
        for (Error e : META.validate(doc)) {
            problems.add(pointer(e) + ": " + e.getKeyword() + ": " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            return new Compilation.Rejected(problems);
        }
        try {
            Schema schema = REGISTRY.getSchema(doc);
            schema.validate(JSON.createObjectNode());
            return new Compilation.Compiled(new CompiledPlan(plan, schema, declaredProperties(doc)));
        } catch (RuntimeException e) {
            return new Compilation.Rejected(List.of("the schema cannot be used: " + e.getMessage()));
        }
    }

    /** Top-level declared property names, unless the schema also allows patterns or extra properties by schema. */
    private static Optional<Set<String>> declaredProperties(JsonNode doc) {
        if (!doc.isObject() || doc.has("patternProperties") || (doc.has("additionalProperties") && doc.get("additionalProperties").isObject())) {
            return Optional.empty();
        }
        Set<String> names = new LinkedHashSet<>();
        JsonNode props = doc.get("properties");
        if (props != null && props.isObject()) {
            names.addAll(props.propertyNames());
        }
        return Optional.of(Set.copyOf(names));
    }

    private static String pointer(Error e) {
        String p = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        return p.isEmpty() ? "/" : p;
    }

    public TrackingPlan plan() {
        return plan;
    }

    /** Violations of {@code data} (properties or traits), each naming the JSON pointer under {@code base} and the rule. */
    public List<Reason> violations(Map<String, Object> data, String base) {
        JsonNode node = JSON.valueToTree(data);
        List<Reason> out = new ArrayList<>();
        for (Error e : schema.validate(node)) {
            String p = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            out.add(new Reason("schema_violation", base + p, "plan '" + plan.event() + "' v" + plan.version()
                    + ": " + e.getKeyword() + ": " + e.getMessage()));
        }
        return out;
    }

    /** Whether the schema declares the top-level property (true when it cannot say). */
    public boolean declares(String property) {
        return declared.map(d -> d.contains(property)).orElse(true);
    }

    /** Properties the schema does not declare; empty when the schema cannot say (patterns, schema-valued additionalProperties). */
    public List<String> undeclared(Map<String, Object> data) {
        return declared.map(d -> data.keySet().stream().filter(k -> !d.contains(k)).toList()).orElse(List.of());
    }
}
