package io.tessera.quality;

import java.util.Optional;

/**
 * Durable quality settings (port): the {@link QualitySettings} and the category taxonomy CSV last
 * accepted through the API, so they survive a restart. Each save replaces the previous value
 * atomically. Thread-safe. Adapters: {@code store.sqlite.SqliteQualitySettingsStore}; every adapter
 * passes {@code testkit}'s {@code QualitySettingsStoreContract}.
 */
public interface QualitySettingsStore {

    /** The saved settings, read over {@code base} (for fields added since they were saved); empty if never saved. */
    Optional<QualitySettings> settings(QualitySettings base);

    void saveSettings(QualitySettings settings);

    /** The taxonomy CSV as last accepted; empty if never saved. */
    Optional<String> taxonomyCsv();

    void saveTaxonomyCsv(String csv);
}
