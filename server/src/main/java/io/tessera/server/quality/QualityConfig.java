package io.tessera.server.quality;

import io.tessera.quality.PlanMode;
import io.tessera.quality.QualityRules;
import java.util.Optional;
import java.util.function.Function;

/**
 * The quality rules a node starts with, from configuration: {@code quality.phone-region}
 * ({@code TESSERA_QUALITY_PHONE_REGION}, default US) and {@code quality.unplanned}
 * ({@code allow} or {@code block}, default allow). Invalid values fail start-up with a message.
 */
public final class QualityConfig {
    private QualityConfig() {}

    public static QualityRules rules(Function<String, Optional<String>> setting) {
        QualityRules defaults = QualityRules.defaults();
        String region = setting.apply("quality.phone-region").orElse(defaults.phoneRegion());
        String unplannedText = setting.apply("quality.unplanned").orElse("allow");
        PlanMode unplanned = PlanMode.fromWire(unplannedText).filter(m -> m != PlanMode.DROP_PROPERTIES)
                .orElseThrow(() -> new IllegalArgumentException("setting quality.unplanned must be allow or block, was '" + unplannedText + "'"));
        return defaults.withFields(defaults.fields(), region, defaults.sku()).withPlans(defaults.plans(), unplanned);
    }
}
