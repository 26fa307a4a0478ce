package io.tessera.testkit;

import io.tessera.profile.ProfileStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

class InMemoryProfileStoreTest extends ProfileStoreContract {
    private final Map<Path, InMemoryProfileStore> byDir = new HashMap<>();

    @Override
    protected ProfileStore open(Path dir) {
        return byDir.computeIfAbsent(dir, d -> new InMemoryProfileStore());
    }
}
