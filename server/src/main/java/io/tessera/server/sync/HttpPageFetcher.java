package io.tessera.server.sync;

import io.tessera.ingest.pull.PageFetcher;
import io.tessera.ingest.pull.PullSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link PageFetcher} over HTTP: {@code GET url?cursorParam=cursor} with the pull's Authorization
 * header, a 30 s timeout and a 64 MiB cap on the answer. Error messages name the status or the
 * failure, never the header. Thread-safe (one shared {@link HttpClient}).
 */
final class HttpPageFetcher implements PageFetcher {
    private static final int MAX_BYTES = 64 * 1024 * 1024;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @Override
    public byte[] fetch(PullSource source, Optional<String> cursor) throws PullFailure {
        String url = source.url();
        if (cursor.isPresent()) {
            url += (url.contains("?") ? "&" : "?") + URLEncoder.encode(source.cursorParam(), StandardCharsets.UTF_8)
                    + "=" + URLEncoder.encode(cursor.get(), StandardCharsets.UTF_8);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET();
        source.authorization().ifPresent(a -> b.header("Authorization", a));
        try {
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() / 100 != 2) {
                    throw new PullFailure("HTTP " + r.statusCode() + " from " + URI.create(source.url()).getHost());
                }
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (body.length > MAX_BYTES) {
                    throw new PullFailure("the answer is larger than " + MAX_BYTES + " bytes; page it");
                }
                return body;
            }
        } catch (IOException e) {
            throw new PullFailure("cannot reach " + URI.create(source.url()).getHost() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullFailure("interrupted");
        }
    }
}
