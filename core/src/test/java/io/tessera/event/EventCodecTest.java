package io.tessera.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EventCodecTest {

    @Test
    void streamingEncodeWritesTheSameBytesAsMapBindingAndRoundTrips() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("s", "é \"quoted\" \u2028");
        props.put("i", 7);
        props.put("l", 12_345_678_901L);
        props.put("d", 14.99);
        props.put("bi", new BigInteger("123456789012345678901234567890"));
        props.put("b", true);
        props.put("n", null);
        props.put("list", Arrays.asList(1, "two", null, Map.of("k", List.of())));
        props.put("nested", Map.of("a", Map.of("b", 2.5)));
        Event e = new Event("m-1", EventType.TRACK, Optional.of("u1"), Optional.of("a1"), "Order Completed", props,
                Map.of("email", "a@b.c"), Map.of("ip", "1.2.3.4"), Map.of("All", false), Optional.empty(), Optional.empty(),
                Instant.parse("2026-11-28T10:00:00.123Z"), Instant.parse("2026-11-28T10:00:01Z"), Optional.of(Instant.parse("2026-11-28T10:00:00.5Z")), "api");
        EventCodec codec = new EventCodec();
        byte[] streamed = codec.encode(e);
        assertThat(new String(streamed)).isEqualTo(JsonMapper.builder().build().writeValueAsString(EventCodec.toMap(e)));
        assertThat(codec.decode(streamed)).isEqualTo(e);
    }
}
