package io.tessera.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrackingApiParserTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    final AtomicInteger ids = new AtomicInteger();
    final TrackingApiParser parser = new TrackingApiParser(IngestLimits.defaults(), InstantSource.fixed(NOW), () -> "gen-" + ids.incrementAndGet());

    private RequestVerdict parse(Optional<EventType> call, String json) {
        return parser.parse(call, json.getBytes(StandardCharsets.UTF_8), "api");
    }

    private Event single(EventType type, String json) {
        RequestVerdict.Parsed p = (RequestVerdict.Parsed) parse(Optional.of(type), json);
        return ((RequestVerdict.Valid) p.items().get(0)).event();
    }

    @Test
    void correctsClientClockSkewWithSentAt() {
        // the client clock is 2 hours ahead: sent "14:00", event 5 minutes before that
        Event e = single(EventType.TRACK, "{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2026-11-28T13:55:00Z\",\"sentAt\":\"2026-11-28T14:00:00Z\"}");
        assertThat(e.timestamp()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(e.receivedAt()).isEqualTo(NOW);
        assertThat(e.sentAt()).contains(Instant.parse("2026-11-28T14:00:00Z"));
    }

    @Test
    void takesTheTimestampAsIsWithoutSentAtAndReceivedAtWithoutEither() {
        assertThat(single(EventType.TRACK, "{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2026-11-01T08:00:00+02:00\"}").timestamp())
                .isEqualTo(Instant.parse("2026-11-01T06:00:00Z"));
        assertThat(single(EventType.TRACK, "{\"userId\":\"u\",\"event\":\"E\"}").timestamp()).isEqualTo(NOW);
    }

    @Test
    void generatesAMessageIdOnlyWhenAbsent() {
        assertThat(single(EventType.PAGE, "{\"anonymousId\":\"a\",\"messageId\":\"m-1\"}").messageId()).isEqualTo("m-1");
        assertThat(single(EventType.PAGE, "{\"anonymousId\":\"a\"}").messageId()).isEqualTo("gen-1");
    }

    @Test
    void keepsNumericIdsAsTheirText() {
        assertThat(single(EventType.IDENTIFY, "{\"userId\":12345}").userId()).contains("12345");
    }

    @Test
    void usesContextTraitsForNonIdentifyCallsAndBatchContextAsDefaults() {
        RequestVerdict.Parsed p = (RequestVerdict.Parsed) parse(Optional.empty(),
                "{\"context\":{\"ip\":\"1.2.3.4\",\"locale\":\"en\"},\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\","
                        + "\"context\":{\"locale\":\"de\",\"traits\":{\"email\":\"a@b.c\"}}}]}");
        Event e = ((RequestVerdict.Valid) p.items().get(0)).event();
        assertThat(e.context()).containsEntry("ip", "1.2.3.4").containsEntry("locale", "de");
        assertThat(e.traits()).isEqualTo(Map.of("email", "a@b.c"));
    }

    @Test
    void reportsEveryProblemOfARecordWithItsPointer() {
        RequestVerdict.Parsed p = (RequestVerdict.Parsed) parse(Optional.empty(),
                "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"ok\"},{\"type\":\"track\",\"properties\":7,\"timestamp\":\"2030-01-01T00:00:00Z\"}]}");
        RequestVerdict.Rejected r = (RequestVerdict.Rejected) p.items().get(1);
        assertThat(r.index()).isEqualTo(1);
        assertThat(r.reasons()).extracting(x -> x.code() + "@" + x.pointer()).containsExactlyInAnyOrder(
                "missing_identity@/batch/1", "missing_field@/batch/1/event", "wrong_type@/batch/1/properties", "timestamp_in_future@/batch/1/timestamp");
        assertThat(r.raw()).startsWith("{\"type\":\"track\",\"properties\":7").endsWith("}");
    }

    @Test
    void rejectsRequestLevelProblemsAsAWhole() {
        assertThat(code(parse(Optional.empty(), "{\"batch\":[" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "]}"))).isEqualTo("too_deep");
        assertThat(code(parse(Optional.of(EventType.TRACK), "{\"userId\":\"u\"} trailing"))).isEqualTo("malformed_json");
        assertThat(code(parser.parse(Optional.of(EventType.TRACK), new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, "api"))).isEqualTo("invalid_utf8");
        assertThat(code(parse(Optional.empty(), "{\"nobatch\":1}"))).isEqualTo("missing_batch");
        assertThat(List.of(code(parse(Optional.of(EventType.TRACK), "\"just a string\"")))).containsExactly("malformed_json");
    }

    private static String code(RequestVerdict v) {
        return ((RequestVerdict.Invalid) v).reason().code();
    }
}
