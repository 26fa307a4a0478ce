package io.tessera.ingest;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.ingest.RequestVerdict.Item;
import io.tessera.quality.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Segment HTTP Tracking API requests ({@code /v1/track|identify|page|screen|group|alias}
 * and {@code /v1/batch}) into {@link Event}s. Bad input is a value: the answer is a
 * {@link RequestVerdict}, never an exception.
 *
 * <h2>Rules (after Segment's HTTP API page and spec; see docs/INGEST.md)</h2>
 * <ul>
 *   <li><b>Limits.</b> A single call or one batch element over {@link IngestLimits#maxEventBytes},
 *       a batch request over {@link IngestLimits#maxBatchBytes} or with more than
 *       {@link IngestLimits#maxBatchEvents} elements, JSON deeper than {@link IngestLimits#maxDepth}.
 *       Request-level limits reject the whole request; an oversize batch element only itself.</li>
 *   <li><b>Identity.</b> userId or anonymousId (string, or a number, kept as its text) must be
 *       present and not blank.</li>
 *   <li><b>messageId.</b> Kept when sent; generated (as Segment's libraries do) when absent.
 *       Only a client-sent messageId makes retries idempotent.</li>
 *   <li><b>Time.</b> {@code receivedAt} is our clock at parse time. When the client sent both
 *       {@code sentAt} (on the event or the batch) and {@code timestamp} (or
 *       {@code originalTimestamp}), the event time is corrected for the client's clock skew:
 *       {@code receivedAt - (sentAt - timestamp)}. Without {@code sentAt} the timestamp is taken as
 *       is; without a timestamp the event time is {@code receivedAt}. A corrected time more than
 *       {@link IngestLimits#maxFutureSkew} after {@code receivedAt} is rejected.</li>
 *   <li><b>Batch envelope.</b> {@code context} and {@code integrations} at the batch level are
 *       defaults under each element's own.</li>
 *   <li><b>Traits.</b> identify and group carry {@code traits}; other calls carry
 *       {@code context.traits} as their traits (identify falls back to them too).</li>
 * </ul>
 *
 * <p>Thread-safe and stateless apart from its configuration.
 */
public final class TrackingApiParser {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final IngestLimits limits;
    private final InstantSource clock;
    private final Supplier<String> messageIds;
    private final BoundedJsonReader reader;

    /**
     * @param messageIds makes a messageId for an event that came without one (e.g. random UUIDs)
     */
    public TrackingApiParser(IngestLimits limits, InstantSource clock, Supplier<String> messageIds) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.messageIds = Objects.requireNonNull(messageIds, "messageIds");
        this.reader = new BoundedJsonReader(limits.maxDepth());
    }

    public IngestLimits limits() {
        return limits;
    }

    /**
     * Reads a request body.
     *
     * @param call   the call type of the endpoint, or empty for {@code /v1/batch}
     * @param body   the raw request body
     * @param source the event source recorded on each event ("api", "import", …)
     */
    public RequestVerdict parse(Optional<EventType> call, byte[] body, String source) {
        Instant receivedAt = clock.instant();
        boolean batch = call.isEmpty();
        if (batch && body.length > limits.maxBatchBytes()) {
            return invalid(IngestCodes.BATCH_TOO_LARGE, "", "batch request is " + body.length + " bytes; the limit is " + limits.maxBatchBytes());
        }
        if (!batch && body.length > limits.maxEventBytes()) {
            return invalid(IngestCodes.EVENT_TOO_LARGE, "", "event is " + body.length + " bytes; the limit is " + limits.maxEventBytes());
        }
        if (!isUtf8(body)) {
            return invalid(IngestCodes.INVALID_UTF8, "", "the body is not valid UTF-8");
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return invalid(IngestCodes.MALFORMED_JSON, "", "the body must be a JSON object");
            }
            RequestVerdict verdict = batch
                    ? readBatch(p, body, receivedAt, source)
                    : readSingle(p, call.get(), body, receivedAt, source);
            if (verdict instanceof RequestVerdict.Parsed && p.nextToken() != null) {
                return invalid(IngestCodes.MALFORMED_JSON, "", "unexpected content after the JSON object");
            }
            return verdict;
        } catch (BoundedJsonReader.TooDeep e) {
            return invalid(IngestCodes.TOO_DEEP, e.pointer, "JSON nests deeper than " + limits.maxDepth() + " levels");
        } catch (StreamConstraintsException e) {
            return invalid(IngestCodes.TOO_DEEP, "", e.getOriginalMessage());
        } catch (JacksonException e) {
            String what = e.getOriginalMessage();
            int cut = what.indexOf(" (");
            return invalid(IngestCodes.MALFORMED_JSON, "", "malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + (cut > 0 ? what.substring(0, cut) : what));
        }
    }

    private RequestVerdict readSingle(JsonParser p, EventType type, byte[] body, Instant receivedAt, String source) {
        Map<String, Object> m = reader.readObject(p, 1, "");
        Optional<String> writeKey = m.get("writeKey") instanceof String k ? Optional.of(k) : Optional.empty();
        Envelope envelope = new Envelope(Optional.empty(), Map.of(), Map.of(), receivedAt, source);
        return new RequestVerdict.Parsed(writeKey, List.of(toItem(m, Optional.of(type), 0, "", envelope, () -> utf8(body, 0, body.length))));
    }

    private RequestVerdict readBatch(JsonParser p, byte[] body, Instant receivedAt, String source) {
        Optional<String> writeKey = Optional.empty();
        String sentAt = null;
        Map<String, Object> context = Map.of();
        Map<String, Object> integrations = Map.of();
        List<Map<String, Object>> elements = null;
        List<int[]> spans = new ArrayList<>();
        List<Item> early = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "batch" -> {
                    if (v != JsonToken.START_ARRAY) {
                        return invalid(IngestCodes.MISSING_BATCH, "/batch", "batch must be an array of events");
                    }
                    elements = new ArrayList<>();
                    int index = 0;
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken(), index++) {
                        if (index >= limits.maxBatchEvents()) {
                            return invalid(IngestCodes.TOO_MANY_EVENTS, "/batch", "a batch holds at most " + limits.maxBatchEvents() + " events");
                        }
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        if (e != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            int end = (int) p.currentLocation().getByteOffset();
                            early.add(new RequestVerdict.Rejected(index, utf8(body, start, end),
                                    List.of(new Reason(IngestCodes.WRONG_TYPE, "/batch/" + index, "a batch element must be a JSON object"))));
                            elements.add(null);
                            spans.add(new int[] {start, end});
                            continue;
                        }
                        elements.add(reader.readObject(p, 2, "/batch/" + index));
                        spans.add(new int[] {start, (int) p.currentTokenLocation().getByteOffset() + 1});
                    }
                }
                case "writeKey" -> writeKey = v == JsonToken.VALUE_STRING ? Optional.of(p.getString()) : Optional.empty();
                case "sentAt" -> sentAt = v == JsonToken.VALUE_STRING ? p.getString() : null;
                case "context" -> context = v == JsonToken.START_OBJECT ? reader.readObject(p, 2, "/context") : skip(p);
                case "integrations" -> integrations = v == JsonToken.START_OBJECT ? reader.readObject(p, 2, "/integrations") : skip(p);
                default -> p.skipChildren();
            }
        }
        if (elements == null) {
            return invalid(IngestCodes.MISSING_BATCH, "/batch", "batch must be an array of events");
        }
        Optional<Instant> batchSentAt = Optional.ofNullable(sentAt).flatMap(Timestamps::parse);
        Envelope envelope = new Envelope(batchSentAt, context, integrations, receivedAt, source);
        List<Item> items = new ArrayList<>(elements.size());
        int e = 0;
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i) == null) {
                items.add(early.get(e++));
                continue;
            }
            int[] span = spans.get(i);
            if (span[1] - span[0] > limits.maxEventBytes()) {
                items.add(new RequestVerdict.Rejected(i, utf8(body, span[0], span[1]), List.of(new Reason(IngestCodes.EVENT_TOO_LARGE,
                        "/batch/" + i, "event is " + (span[1] - span[0]) + " bytes; the limit is " + limits.maxEventBytes()))));
                continue;
            }
            items.add(toItem(elements.get(i), Optional.empty(), i, "/batch/" + i, envelope, () -> utf8(body, span[0], span[1])));
        }
        return new RequestVerdict.Parsed(writeKey, items);
    }

    private static Map<String, Object> skip(JsonParser p) {
        p.skipChildren();
        return Map.of();
    }

    /** What a batch request's envelope contributes to each of its events. */
    private record Envelope(Optional<Instant> sentAt, Map<String, Object> context, Map<String, Object> integrations,
                            Instant receivedAt, String source) {}

    private Item toItem(Map<String, Object> m, Optional<EventType> call, int index, String at, Envelope envelope, Supplier<String> raw) {
        List<Reason> reasons = new ArrayList<>(0);
        EventType type = call.orElseGet(() -> batchType(m, at, reasons));
        Optional<String> userId = id(m, "userId", at, reasons);
        Optional<String> anonymousId = id(m, "anonymousId", at, reasons);
        if (userId.isEmpty() && anonymousId.isEmpty() && reasons.isEmpty()) {
            reasons.add(new Reason(IngestCodes.MISSING_IDENTITY, at, "either userId or anonymousId is required"));
        }
        String messageId = string(m, "messageId", at, reasons).filter(s -> !s.isBlank()).orElseGet(messageIds);
        String name = "";
        if (type == EventType.TRACK) {
            Object event = m.get("event");
            if (event instanceof String s && !s.isBlank()) {
                name = s;
            } else if (event == null || event instanceof String) {
                reasons.add(new Reason(IngestCodes.MISSING_FIELD, at + "/event", "track needs an event name"));
            } else {
                reasons.add(new Reason(IngestCodes.WRONG_TYPE, at + "/event", "event must be a string"));
            }
        } else if (type == EventType.PAGE || type == EventType.SCREEN) {
            name = string(m, "name", at, reasons).orElse("");
        }
        Map<String, Object> properties = object(m, "properties", at, reasons);
        Map<String, Object> traits = object(m, "traits", at, reasons);
        Map<String, Object> context = withDefaults(object(m, "context", at, reasons), envelope.context());
        Map<String, Object> integrations = withDefaults(object(m, "integrations", at, reasons), envelope.integrations());
        Optional<String> previousId = id(m, "previousId", at, reasons);
        Optional<String> groupId = id(m, "groupId", at, reasons);
        if (type == EventType.ALIAS && previousId.isEmpty()) {
            reasons.add(new Reason(IngestCodes.MISSING_FIELD, at + "/previousId", "alias needs a previousId"));
        }
        if (type == EventType.GROUP && groupId.isEmpty()) {
            reasons.add(new Reason(IngestCodes.MISSING_FIELD, at + "/groupId", "group needs a groupId"));
        }
        String timestampField = m.containsKey("timestamp") || !m.containsKey("originalTimestamp") ? "timestamp" : "originalTimestamp";
        Optional<Instant> timestamp = instant(m, timestampField, at, reasons);
        Optional<Instant> sentAt = instant(m, "sentAt", at, reasons).or(envelope::sentAt);
        Instant receivedAt = envelope.receivedAt();
        Instant eventTime = timestamp
                .map(t -> sentAt.map(s -> receivedAt.minus(java.time.Duration.between(t, s))).orElse(t))
                .orElse(receivedAt);
        if (eventTime.isAfter(receivedAt.plus(limits.maxFutureSkew()))) {
            reasons.add(new Reason(IngestCodes.TIMESTAMP_IN_FUTURE, at + "/" + timestampField,
                    "event time " + eventTime + " is more than " + limits.maxFutureSkew() + " after receipt (" + receivedAt + ")"));
        }
        if (type == null || !reasons.isEmpty()) {
            return new RequestVerdict.Rejected(index, raw.get(), reasons);
        }
        Map<String, Object> contextTraits = context.get("traits") instanceof Map<?, ?> ct ? cast(ct) : Map.of();
        Map<String, Object> eventTraits = switch (type) {
            case IDENTIFY -> traits.isEmpty() ? contextTraits : traits;
            case GROUP -> traits;
            default -> contextTraits;
        };
        return new RequestVerdict.Valid(index, new Event(messageId, type, userId, anonymousId, name, properties, eventTraits,
                context, integrations, previousId, groupId, eventTime, receivedAt, sentAt, envelope.source()));
    }

    private static EventType batchType(Map<String, Object> m, String at, List<Reason> reasons) {
        Object t = m.get("type");
        if (t == null) {
            reasons.add(new Reason(IngestCodes.MISSING_FIELD, at + "/type", "a batch element needs a type"));
            return null;
        }
        if (!(t instanceof String s)) {
            reasons.add(new Reason(IngestCodes.WRONG_TYPE, at + "/type", "type must be a string"));
            return null;
        }
        Optional<EventType> type = EventType.fromWire(s);
        if (type.isEmpty()) {
            reasons.add(new Reason(IngestCodes.UNKNOWN_TYPE, at + "/type", "unknown type '" + s + "'; expected track, identify, page, screen, group or alias"));
            return null;
        }
        return type.get();
    }

    /** An identifier: a non-blank string, or a number kept as its text. */
    private static Optional<String> id(Map<String, Object> m, String field, String at, List<Reason> reasons) {
        Object v = m.get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return s.isBlank() ? Optional.empty() : Optional.of(s);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            return Optional.of(v.toString());
        }
        reasons.add(new Reason(IngestCodes.WRONG_TYPE, at + "/" + field, field + " must be a string"));
        return Optional.empty();
    }

    private static Optional<String> string(Map<String, Object> m, String field, String at, List<Reason> reasons) {
        Object v = m.get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        reasons.add(new Reason(IngestCodes.WRONG_TYPE, at + "/" + field, field + " must be a string"));
        return Optional.empty();
    }

    private static Map<String, Object> object(Map<String, Object> m, String field, String at, List<Reason> reasons) {
        Object v = m.get(field);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> o) {
            return cast(o);
        }
        reasons.add(new Reason(IngestCodes.WRONG_TYPE, at + "/" + field, field + " must be a JSON object"));
        return Map.of();
    }

    private static Optional<Instant> instant(Map<String, Object> m, String field, String at, List<Reason> reasons) {
        Object v = m.get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            reasons.add(new Reason(IngestCodes.WRONG_TYPE, at + "/" + field, field + " must be an ISO-8601 string"));
            return Optional.empty();
        }
        Optional<Instant> parsed = Timestamps.parse(s);
        if (parsed.isEmpty()) {
            reasons.add(new Reason(IngestCodes.INVALID_TIMESTAMP, at + "/" + field, "'" + s + "' is not an ISO-8601 timestamp"));
        }
        return parsed;
    }

    private static Map<String, Object> withDefaults(Map<String, Object> own, Map<String, Object> defaults) {
        if (defaults.isEmpty()) {
            return own;
        }
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        merged.putAll(own);
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static RequestVerdict invalid(String code, String pointer, String message) {
        return new RequestVerdict.Invalid(new Reason(code, pointer, message));
    }

    private static String utf8(byte[] body, int from, int to) {
        return new String(body, from, Math.max(0, Math.min(to, body.length) - from), StandardCharsets.UTF_8);
    }

    /** Whether the bytes are valid UTF-8; pure ASCII (the common case) is checked without decoding. */
    static boolean isUtf8(byte[] body) {
        int i = 0;
        while (i < body.length && body[i] >= 0) {
            i++;
        }
        if (i == body.length) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, i, body.length - i));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
