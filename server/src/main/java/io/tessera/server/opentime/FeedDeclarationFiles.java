package io.tessera.server.opentime;

import io.tessera.opentime.DataClass;
import io.tessera.opentime.FeedCatalog;
import io.tessera.opentime.FeedDeclaration;
import io.tessera.opentime.FeedField;
import io.tessera.opentime.ImageSlot;
import io.tessera.opentime.ProductAttribute;
import io.tessera.opentime.amp.AmpFeedBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feed declarations kept beside the templates they belong to: {@code <dir>/<template key>/feed.json}.
 * <pre>{@code
 * {"imageHosts": ["cdn.example.com"],
 *  "fields": [
 *    {"name": "firstName", "trait": "firstName", "class": "profile", "fallback": "there"},
 *    {"name": "points", "trait": "loyaltyPoints", "class": "loyalty", "fallback": 0},
 *    {"name": "vip", "trait": "segment:vip", "class": "profile", "fallback": false},
 *    {"name": "lastViewed", "lastViewed": ["name", "price", "image", "url"], "fallback": {"name": "Our bestsellers"}},
 *    {"name": "picks", "recommended": 3, "attributes": ["name", "price"], "fallback": [{"name": "New arrivals"}]},
 *    {"name": "saleEndsIn", "countdown": "2026-12-24T00:00:00Z"}],
 *  "images": [
 *    {"slot": "hero", "choice": "lastViewedOrSwap", "fallback": "https://cdn.example.com/hero.jpg"},
 *    {"slot": "pick", "choice": "firstRecommended", "fallback": "https://cdn.example.com/new.jpg"},
 *    {"slot": "timer", "countdown": "2026-12-24T00:00:00Z", "fallback": "https://cdn.example.com/sale.jpg"}]}
 * }</pre>
 * Beside it, an optional {@code amp.json} describes the template's AMP for Email part
 * ({@link AmpFeedBlock}: {@code title, css, header, item, fallback, footer, height}; {@code item}
 * is the amp-mustache template over the feed's fields).
 * Every declaration is validated when read (a bad one stops the start with its file and reason).
 * Loaded once; immutable afterwards apart from {@link #put} (tests, the demo). Thread-safe.
 */
public final class FeedDeclarationFiles implements FeedCatalog {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, FeedDeclaration> declarations = new ConcurrentHashMap<>();
    private final Map<String, AmpFeedBlock> ampBlocks = new ConcurrentHashMap<>();

    /** Reads {@code feed.json} of every template directory directly under {@code dir}, if it exists. */
    public static FeedDeclarationFiles load(Path dir) {
        FeedDeclarationFiles files = new FeedDeclarationFiles();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (var dirs = Files.list(dir)) {
            for (Path d : dirs.sorted().toList()) {
                Path f = d.resolve("feed.json");
                if (Files.isRegularFile(f)) {
                    try {
                        files.put(parse(d.getFileName().toString(), JSON.readTree(Files.readString(f))));
                        Path amp = d.resolve("amp.json");
                        if (Files.isRegularFile(amp)) {
                            files.ampBlocks.put(d.getFileName().toString(), ampBlock(JSON.readTree(Files.readString(amp))));
                        }
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public void put(FeedDeclaration declaration) {
        declarations.put(declaration.templateKey(), declaration);
    }

    @Override
    public Optional<FeedDeclaration> declaration(String templateKey) {
        return Optional.ofNullable(declarations.get(templateKey));
    }

    /** The AMP part's description, for templates that have a feed and an {@code amp.json}. */
    public Optional<AmpFeedBlock> ampBlock(String templateKey) {
        return Optional.ofNullable(ampBlocks.get(templateKey));
    }

    static AmpFeedBlock ampBlock(JsonNode n) {
        return new AmpFeedBlock(n.path("title").asString(""), n.path("css").asString(""), n.path("header").asString(""),
                required(n, "item"), required(n, "fallback"), n.path("footer").asString(""), n.path("height").asInt(400));
    }

    public Set<String> templateKeys() {
        return Set.copyOf(declarations.keySet());
    }

    /** A declaration from its JSON form (above). */
    public static FeedDeclaration parse(String templateKey, JsonNode n) {
        List<FeedField> fields = new ArrayList<>();
        for (JsonNode f : n.path("fields")) {
            fields.add(field(f));
        }
        List<ImageSlot> images = new ArrayList<>();
        for (JsonNode i : n.path("images")) {
            images.add(slot(i));
        }
        Set<String> hosts = new HashSet<>();
        n.path("imageHosts").forEach(h -> hosts.add(h.asString()));
        return new FeedDeclaration(templateKey, fields, images, hosts);
    }

    private static FeedField field(JsonNode f) {
        String name = required(f, "name");
        Object fallback = JSON.convertValue(f.path("fallback"), Object.class);
        if (f.has("trait")) {
            DataClass dc = DataClass.valueOf(required(f, "class").toUpperCase(Locale.ROOT));
            return FeedField.trait(name, required(f, "trait"), dc, fallback);
        }
        if (f.has("lastViewed")) {
            return new FeedField(name, new io.tessera.opentime.FieldSource.LastViewed(attributes(f.path("lastViewed"))),
                    DataClass.BROWSING, fallback);
        }
        if (f.has("recommended")) {
            return new FeedField(name, new io.tessera.opentime.FieldSource.Recommended(f.path("recommended").asInt(),
                    attributes(f.path("attributes"))), DataClass.RECOMMENDATIONS, fallback);
        }
        if (f.has("countdown")) {
            return FeedField.countdown(name, Instant.parse(required(f, "countdown")));
        }
        throw new IllegalArgumentException("feed field " + name + " needs one of trait, lastViewed, recommended, countdown");
    }

    private static ImageSlot slot(JsonNode i) {
        String name = required(i, "slot");
        ImageSlot.Choice choice;
        if (i.has("countdown")) {
            choice = new ImageSlot.Countdown(Instant.parse(required(i, "countdown")));
        } else {
            choice = switch (required(i, "choice")) {
                case "lastViewedOrSwap" -> new ImageSlot.LastViewedOrSwap();
                case "firstRecommended" -> new ImageSlot.FirstRecommended();
                default -> throw new IllegalArgumentException("image slot " + name + ": choice is lastViewedOrSwap or firstRecommended");
            };
        }
        return new ImageSlot(name, choice, required(i, "fallback"));
    }

    private static Set<ProductAttribute> attributes(JsonNode list) {
        Set<ProductAttribute> out = EnumSet.noneOf(ProductAttribute.class);
        for (JsonNode a : list) {
            ProductAttribute attribute = null;
            for (ProductAttribute p : ProductAttribute.values()) {
                if (p.jsonName().equals(a.asString())) {
                    attribute = p;
                }
            }
            if (attribute == null) {
                throw new IllegalArgumentException("unknown product attribute " + a.asString());
            }
            out.add(attribute);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("a product field names at least one attribute");
        }
        return out;
    }

    private static String required(JsonNode n, String key) {
        JsonNode v = n.path(key);
        if (!v.isString() || v.asString().isBlank()) {
            throw new IllegalArgumentException("missing \"" + key + "\" in " + n);
        }
        return v.asString();
    }
}
