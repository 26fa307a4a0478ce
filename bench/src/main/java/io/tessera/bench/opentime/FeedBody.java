package io.tessera.bench.opentime;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The JSON bytes of a feed, as the endpoint writes them (for nginx's same-size static file). */
final class FeedBody {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FeedBody() {}

    static byte[] of(Map<String, Object> feed) {
        return JSON.writeValueAsBytes(feed);
    }
}
