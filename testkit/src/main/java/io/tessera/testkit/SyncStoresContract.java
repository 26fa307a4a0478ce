package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.ingest.hook.HookSource;
import io.tessera.ingest.hook.HookSourceCodec;
import io.tessera.ingest.hook.HookSourceStore;
import io.tessera.ingest.pull.PullSource;
import io.tessera.ingest.pull.PullState;
import io.tessera.ingest.pull.PullStore;
import io.tessera.ingest.watermark.ImportWatermarkStore;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every adapter of the sync ports ({@link HookSourceStore}, {@link PullStore}) must do, on its
 * real technology: sources kept whole (secrets included) by name, replaced by a save under the same
 * name, listed by name, deleted; a pull's cursor state kept with it and gone when it is deleted;
 * an import source's watermark kept per source and replaced by the next save.
 */
public abstract class SyncStoresContract {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    /** A hook source store on this test's storage; opening again must see the same sources. */
    protected abstract HookSourceStore openHookSources();

    /** A pull store on this test's storage; opening again must see the same pulls. */
    protected abstract PullStore openPulls();

    /** An import watermark store on this test's storage; opening again must see the same watermarks. */
    protected abstract ImportWatermarkStore openWatermarks();

    private static HookSource hook(String name, String secret, String userIdPointer) {
        return HookSourceCodec.fromJson(name, JSON.readTree("""
                {"secret": "%s", "mapping": {"type": "identify", "userId": "%s", "traits": {"email": "/email"}}}"""
                .formatted(secret, userIdPointer)), Optional.empty());
    }

    private static String stored(HookSource s) {
        return HookSourceCodec.toStoredJson(s).toString();
    }

    private static PullSource pull(String name, int intervalSeconds) {
        return PullSource.fromJson(name, JSON.readTree("""
                {"url": "https://orders.example.com/api/orders", "cursorParam": "since", "cursorField": "/updated_at",
                 "records": "/orders", "intervalSeconds": %d, "authorization": "Bearer s3cret",
                 "mapping": {"type": "track", "userId": "/customer_id", "event": "Order Completed"}}""".formatted(intervalSeconds)),
                Optional.empty());
    }

    @Test
    void hookSourcesAreKeptWholeReplacedByNameListedAndDeleted() {
        HookSourceStore store = openHookSources();
        store.save(hook("shopify", "a-secret-of-16-chars-or-more", "/id"));
        store.save(hook("crm", "another-secret-of-16-chars", "/contact/id"));
        HookSource replaced = hook("shopify", "a-rotated-secret-16-chars-plus", "/customer/id");
        store.save(replaced);

        HookSourceStore reopened = openHookSources();
        assertThat(reopened.get("shopify").map(SyncStoresContract::stored)).contains(stored(replaced));
        assertThat(reopened.list()).extracting(HookSource::name).containsExactly("crm", "shopify");
        assertThat(reopened.delete("crm")).isTrue();
        assertThat(reopened.delete("crm")).isFalse();
        assertThat(reopened.get("crm")).isEmpty();
    }

    @Test
    void pullsKeepTheirCursorStateUntilDeleted() {
        PullStore store = openPulls();
        PullSource orders = pull("orders", 60);
        store.save(pull("orders", 300));
        store.save(orders);
        store.save(pull("customers", 300));
        assertThat(store.state("orders")).isEqualTo(PullState.NEW);

        PullState after = new PullState(Optional.of("2026-11-01T09:59:00Z"), Optional.of(T0), Optional.empty(), 42);
        store.saveState("orders", after);
        PullState failed = new PullState(Optional.empty(), Optional.empty(), Optional.of("HTTP 503"), 0);
        store.saveState("customers", failed);

        PullStore reopened = openPulls();
        assertThat(reopened.get("orders")).contains(orders);
        assertThat(reopened.list()).extracting(PullSource::name).containsExactly("customers", "orders");
        assertThat(reopened.state("orders")).isEqualTo(after);
        assertThat(reopened.state("customers")).isEqualTo(failed);
        assertThat(reopened.delete("orders")).isTrue();
        assertThat(reopened.get("orders")).isEmpty();
        assertThat(reopened.state("orders")).isEqualTo(PullState.NEW);
        assertThat(reopened.delete("orders")).isFalse();
    }

    @Test
    void importWatermarksAreKeptPerSourceAndReplacedBySave() {
        ImportWatermarkStore store = openWatermarks();
        assertThat(store.get("orders")).isEmpty();
        store.save("orders", "2026-11-01T09:00:00Z");
        store.save("orders", "2026-11-01T10:00:00Z");
        store.save("customers", "1042");

        ImportWatermarkStore reopened = openWatermarks();
        assertThat(reopened.get("orders")).contains("2026-11-01T10:00:00Z");
        assertThat(reopened.get("customers")).contains("1042");
        assertThat(reopened.get("contacts")).isEmpty();
    }
}
