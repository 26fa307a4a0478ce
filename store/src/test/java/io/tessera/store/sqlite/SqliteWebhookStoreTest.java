package io.tessera.store.sqlite;

import io.tessera.testkit.WebhookStoreContract;
import io.tessera.webhook.WebhookStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteWebhookStoreTest extends WebhookStoreContract {
    @TempDir
    Path dir;

    private final List<WebhookStore> opened = new ArrayList<>();

    @Override
    protected WebhookStore open() {
        WebhookStore store = new SqliteWebhookStore(dir.resolve("tessera.db"));
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(WebhookStore::close);
    }
}
