package io.tessera.quality;

import java.util.List;

/**
 * The part of the {@link QualityRules} an admin changes through the API and Tessera keeps across
 * restarts: what unplanned events do, the default phone region, the SKU rules and the per-field
 * rules. (Plans and the category taxonomy have their own stores and endpoints.) Immutable; the
 * JSON form and its validation are {@link QualitySettingsCodec}.
 */
public record QualitySettings(PlanMode unplanned, String phoneRegion, SkuRules sku, List<FieldRule> fields) {
    public QualitySettings {
        fields = List.copyOf(fields);
    }

    /** The settings part of a rules snapshot. */
    public static QualitySettings of(QualityRules rules) {
        return new QualitySettings(rules.unplanned(), rules.phoneRegion(), rules.sku(), rules.fields());
    }

    /** {@code rules} with these settings; plans and taxonomy are kept. */
    public QualityRules applyTo(QualityRules rules) {
        return rules.withFields(fields, phoneRegion, sku).withPlans(rules.plans(), unplanned);
    }
}
