package io.tessera.bench.opentime;

import io.tessera.server.opentime.FeedWriter;
import java.util.Map;

/** The JSON bytes of a feed, as the endpoint writes them (for nginx's same-size static file). */
final class FeedBody {
    private FeedBody() {}

    static byte[] of(Map<String, Object> feed) {
        return FeedWriter.json(feed);
    }
}
