package io.tessera.bench.opentime;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The JSON bytes of a feed, as the endpoint writes them (for nginx's same-size static file). */
final class FeedBody {
    private FeedBody() {}

    static byte[] of(Map<String, Object> feed) {
        return JsonMapper.builder().build().writeValueAsBytes(feed);
    }
}
