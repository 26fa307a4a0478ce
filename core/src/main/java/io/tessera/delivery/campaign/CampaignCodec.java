package io.tessera.delivery.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form of a {@link Campaign} (API body and stored definition). {@link #parse} reports
 * every problem as a {@link Problem} with a JSON pointer instead of throwing; durations are
 * ISO-8601 ({@code PT2H}), times of day {@code HH:mm}, instants ISO-8601 UTC.
 */
public final class CampaignCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CampaignCodec() {
    }

    public record Problem(String pointer, String message) {}

    public sealed interface Parsed {
        record Valid(Campaign campaign) implements Parsed {}

        record Invalid(List<Problem> problems) implements Parsed {}
    }

    public static Parsed parse(String key, String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (RuntimeException e) {
            return new Parsed.Invalid(List.of(new Problem("", "not JSON: " + e.getMessage())));
        }
        if (n == null || !n.isObject()) {
            return new Parsed.Invalid(List.of(new Problem("", "a JSON object is required")));
        }
        List<Problem> problems = new ArrayList<>();
        Reader r = new Reader(problems);
        String segment = r.text(n.path("audience").path("segment"), "/audience/segment", true).orElse("");
        Optional<String> excluding = r.text(n.path("audience").path("excluding"), "/audience/excluding", false);
        String template = r.text(n.path("template").path("key"), "/template/key", true).orElse("");
        Optional<Integer> version = n.path("template").path("version").isInt()
                ? Optional.of(n.path("template").path("version").asInt()) : Optional.empty();
        String from = r.text(n.path("sender").path("address"), "/sender/address", true).orElse("");
        if (!from.isEmpty() && !from.matches("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+")) {
            problems.add(new Problem("/sender/address", "not an e-mail address"));
        }
        Optional<String> fromName = r.text(n.path("sender").path("name"), "/sender/name", false);
        Campaign.Schedule schedule = schedule(n.path("schedule"), r);
        Optional<LocalTime> local = r.time(n.path("localSendTime"), "/localSendTime");
        Campaign.Throttle throttle = new Campaign.Throttle(r.number(n.path("throttle").path("perSecond"), "/throttle/perSecond", 0),
                r.number(n.path("throttle").path("perDomainPerSecond"), "/throttle/perDomainPerSecond", 0));
        double holdout = r.number(n.path("holdoutPercent"), "/holdoutPercent", 0);
        if (holdout < 0 || holdout > 100) {
            problems.add(new Problem("/holdoutPercent", "must be within 0..100"));
        }
        List<Campaign.Variant> variants = new ArrayList<>();
        JsonNode vs = n.path("variants");
        for (int i = 0; i < vs.size(); i++) {
            JsonNode v = vs.get(i);
            String p = "/variants/" + i;
            String name = r.text(v.path("name"), p + "/name", true).orElse("");
            int weight = (int) r.number(v.path("weight"), p + "/weight", 1);
            if (weight < 1) {
                problems.add(new Problem(p + "/weight", "must be >= 1"));
            }
            if (name.equals(Allocation.HOLDOUT)) {
                problems.add(new Problem(p + "/name", "\"holdout\" is reserved"));
            }
            Optional<Campaign.TemplateRef> vt = v.path("template").isObject()
                    ? Optional.of(new Campaign.TemplateRef(v.path("template").path("key").asString(""),
                    v.path("template").path("version").isInt() ? Optional.of(v.path("template").path("version").asInt()) : Optional.empty()))
                    : Optional.empty();
            variants.add(new Campaign.Variant(name, Math.max(1, weight), r.text(v.path("subject"), p + "/subject", false), vt));
        }
        Optional<Campaign.Trigger> trigger = n.path("trigger").isObject()
                ? Optional.of(new Campaign.Trigger(r.text(n.path("trigger").path("segment"), "/trigger/segment", true).orElse(""),
                r.duration(n.path("trigger").path("delay"), "/trigger/delay").orElse(Duration.ZERO)))
                : Optional.empty();
        Optional<Campaign.FrequencyCap> cap = n.path("frequencyCap").isObject()
                ? Optional.of(new Campaign.FrequencyCap((int) r.number(n.path("frequencyCap").path("max"), "/frequencyCap/max", 1),
                r.duration(n.path("frequencyCap").path("period"), "/frequencyCap/period").orElse(Duration.ofDays(1))))
                : Optional.empty();
        Optional<Campaign.QuietHours> quiet = n.path("quietHours").isObject()
                ? Optional.of(new Campaign.QuietHours(
                r.time(n.path("quietHours").path("start"), "/quietHours/start").orElse(LocalTime.MIDNIGHT),
                r.time(n.path("quietHours").path("end"), "/quietHours/end").orElse(LocalTime.MIDNIGHT)))
                : Optional.empty();
        int conversionDays = (int) r.number(n.path("conversionDays"), "/conversionDays", 7);
        Optional<Campaign.Topic> topic = topic(n.path("topic"), r);
        if (!problems.isEmpty()) {
            return new Parsed.Invalid(problems);
        }
        return new Parsed.Valid(new Campaign(key, n.path("name").asString(key), new Campaign.Audience(segment, excluding),
                new Campaign.TemplateRef(template, version), new Campaign.Sender(from, fromName), schedule, local, throttle,
                holdout, variants, trigger, cap, quiet, conversionDays, topic));
    }

    /** {@code "topic": "news"} (opt-out) or {@code "topic": {"key": "news", "optIn": true}}. */
    private static Optional<Campaign.Topic> topic(JsonNode t, Reader r) {
        if (t.isMissingNode() || t.isNull()) {
            return Optional.empty();
        }
        JsonNode key = t.isObject() ? t.path("key") : t;
        String pointer = t.isObject() ? "/topic/key" : "/topic";
        Optional<String> k = r.text(key, pointer, true);
        JsonNode optIn = t.path("optIn");
        if (!optIn.isMissingNode() && !optIn.isBoolean()) {
            r.problems.add(new Problem("/topic/optIn", "must be true or false"));
        }
        if (k.isPresent() && !k.get().matches("[A-Za-z0-9_-]{1,64}")) {
            r.problems.add(new Problem(pointer, "letters, digits, '_' and '-' only (at most 64)"));
            return Optional.empty();
        }
        return k.map(x -> new Campaign.Topic(x, optIn.asBoolean(false)));
    }

    private static Campaign.Schedule schedule(JsonNode s, Reader r) {
        String type = s.path("type").asString("now");
        return switch (type) {
            case "now" -> new Campaign.Schedule.Now();
            case "at" -> new Campaign.Schedule.At(r.instant(s.path("at"), "/schedule/at").orElse(Instant.EPOCH));
            case "recurring" -> new Campaign.Schedule.Recurring(r.instant(s.path("first"), "/schedule/first").orElse(Instant.EPOCH),
                    r.duration(s.path("every"), "/schedule/every").orElse(Duration.ofDays(1)));
            default -> {
                r.problems.add(new Problem("/schedule/type", "one of now, at, recurring"));
                yield new Campaign.Schedule.Now();
            }
        };
    }

    /** The JSON form; parse(key, toJson(c)) gives c back. */
    public static String toJson(Campaign c) {
        return JSON.writeValueAsString(toMap(c));
    }

    public static Map<String, Object> toMap(Campaign c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", c.key());
        m.put("name", c.name());
        Map<String, Object> audience = new LinkedHashMap<>();
        audience.put("segment", c.audience().segment());
        c.audience().excluding().ifPresent(x -> audience.put("excluding", x));
        m.put("audience", audience);
        m.put("template", template(c.template()));
        Map<String, Object> sender = new LinkedHashMap<>();
        sender.put("address", c.sender().address());
        c.sender().displayName().ifPresent(x -> sender.put("name", x));
        m.put("sender", sender);
        m.put("schedule", switch (c.schedule()) {
            case Campaign.Schedule.Now now -> Map.of("type", "now");
            case Campaign.Schedule.At at -> Map.of("type", "at", "at", at.at().toString());
            case Campaign.Schedule.Recurring rec -> Map.of("type", "recurring", "first", rec.first().toString(),
                    "every", rec.every().toString());
        });
        c.localSendTime().ifPresent(t -> m.put("localSendTime", t.toString()));
        m.put("throttle", Map.of("perSecond", c.throttle().perSecond(), "perDomainPerSecond", c.throttle().perDomainPerSecond()));
        m.put("holdoutPercent", c.holdoutPercent());
        m.put("variants", c.variants().stream().map(v -> {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("name", v.name());
            vm.put("weight", v.weight());
            v.subject().ifPresent(s -> vm.put("subject", s));
            v.template().ifPresent(t -> vm.put("template", template(t)));
            return vm;
        }).toList());
        c.trigger().ifPresent(t -> m.put("trigger", Map.of("segment", t.segment(), "delay", t.delay().toString())));
        c.frequencyCap().ifPresent(f -> m.put("frequencyCap", Map.of("max", f.max(), "period", f.period().toString())));
        c.quietHours().ifPresent(q -> m.put("quietHours", Map.of("start", q.start().toString(), "end", q.end().toString())));
        m.put("conversionDays", c.conversionDays());
        c.topic().ifPresent(t -> m.put("topic", Map.of("key", t.key(), "optIn", t.optIn())));
        return m;
    }

    private static Map<String, Object> template(Campaign.TemplateRef t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", t.key());
        t.version().ifPresent(v -> m.put("version", v));
        return m;
    }

    /** Field readers that collect problems instead of throwing. */
    private record Reader(List<Problem> problems) {
        Optional<String> text(JsonNode n, String pointer, boolean required) {
            if (n.isString() && !n.asString().isBlank()) {
                return Optional.of(n.asString());
            }
            if (required || !(n.isMissingNode() || n.isNull())) {
                problems.add(new Problem(pointer, required ? "required (a non-empty string)" : "must be a string"));
            }
            return Optional.empty();
        }

        double number(JsonNode n, String pointer, double dflt) {
            if (n.isMissingNode() || n.isNull()) {
                return dflt;
            }
            if (!n.isNumber()) {
                problems.add(new Problem(pointer, "must be a number"));
                return dflt;
            }
            return n.asDouble();
        }

        Optional<LocalTime> time(JsonNode n, String pointer) {
            return parsed(n, pointer, "a time of day HH:mm", LocalTime::parse);
        }

        Optional<Duration> duration(JsonNode n, String pointer) {
            return parsed(n, pointer, "an ISO-8601 duration like PT2H", Duration::parse);
        }

        Optional<Instant> instant(JsonNode n, String pointer) {
            return parsed(n, pointer, "an ISO-8601 instant like 2026-11-02T09:00:00Z", Instant::parse);
        }

        private <T> Optional<T> parsed(JsonNode n, String pointer, String what, java.util.function.Function<String, T> f) {
            if (n.isMissingNode() || n.isNull()) {
                return Optional.empty();
            }
            try {
                return Optional.of(f.apply(n.asString()));
            } catch (RuntimeException e) {
                problems.add(new Problem(pointer, "must be " + what));
                return Optional.empty();
            }
        }
    }
}
