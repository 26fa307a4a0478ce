package io.tessera.server.opentime;

import io.tessera.opentime.FeedCatalog;
import io.tessera.opentime.FeedResolver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The pre-fetch hook: just before a campaign dispatches, resolve its template's feed for each
 * recipient so that {@link CachedFeedSources} holds fresh answers when the first opens arrive.
 * Runs on virtual threads; the future completes with the number of recipients warmed (0 when
 * the template declares no feed). Thread-safe.
 */
public final class FeedPrefetch implements AutoCloseable {
    private final FeedCatalog declarations;
    private final FeedResolver resolver;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public FeedPrefetch(FeedCatalog declarations, FeedResolver resolver) {
        this.declarations = declarations;
        this.resolver = resolver;
    }

    public CompletableFuture<Integer> warm(String templateKey, List<String> profileIds) {
        return declarations.declaration(templateKey)
                .map(d -> CompletableFuture.supplyAsync(() -> {
                    resolver.prefetch(d, profileIds);
                    return profileIds.size();
                }, executor))
                .orElseGet(() -> CompletableFuture.completedFuture(0));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
