package io.tessera.quality;

import java.io.StringReader;
import java.util.Optional;

/**
 * Keeps the live {@link QualityChecks} in step with the stored normalization settings and
 * category taxonomy, as {@link TrackingPlans} does for plans. A change is validated completely
 * first; only a valid one is stored and then swapped in, so a refused request changes nothing
 * (neither the store nor the running rules). On construction the stored values, if any, replace
 * what configuration gave: a setting changed through the API wins over the config file.
 *
 * <p>Threading: changes are serialized on this object; each swap is an atomic update of the rules
 * snapshot, so it never loses a concurrent plan change; checks never wait.
 */
public final class NormalizationSettings {
    private final QualitySettingsStore store;
    private final QualityChecks checks;
    private final QualitySettingsCodec codec = new QualitySettingsCodec();

    /** Loads the stored settings and taxonomy into {@code checks}. */
    public NormalizationSettings(QualitySettingsStore store, QualityChecks checks) {
        this.store = store;
        this.checks = checks;
        store.settings(current()).ifPresent(s -> checks.update(s::applyTo));
        store.taxonomyCsv().ifPresent(csv -> {
            CategoryTaxonomy t = CategoryTaxonomy.fromCsv(new StringReader(csv)).taxonomy()
                    .orElseThrow(() -> new IllegalStateException("the stored taxonomy does not load"));
            checks.update(r -> r.withTaxonomy(t));
        });
    }

    public QualitySettings current() {
        return QualitySettings.of(checks.rules());
    }

    public String currentJson() {
        return codec.encode(current());
    }

    /** Applies a (partial) settings document; invalid → every problem, nothing changed. */
    public synchronized QualitySettingsCodec.Change change(String json) {
        QualitySettingsCodec.Change change = codec.change(json, current());
        if (change instanceof QualitySettingsCodec.Change.Valid v) {
            store.saveSettings(v.settings());
            checks.update(v.settings()::applyTo);
        }
        return change;
    }

    /** Replaces the taxonomy with a CSV; a file with any bad row → every problem, nothing changed. */
    public synchronized CategoryTaxonomy.Loaded replaceTaxonomy(String csv) {
        CategoryTaxonomy.Loaded loaded = CategoryTaxonomy.fromCsv(new StringReader(csv));
        Optional<CategoryTaxonomy> t = loaded.taxonomy();
        if (t.isPresent()) {
            store.saveTaxonomyCsv(csv);
            checks.update(r -> r.withTaxonomy(t.get()));
        }
        return loaded;
    }

    public CategoryTaxonomy taxonomy() {
        return checks.rules().taxonomy();
    }
}
