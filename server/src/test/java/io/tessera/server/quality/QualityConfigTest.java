package io.tessera.server.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.quality.PlanMode;
import io.tessera.quality.QualityRules;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityConfigTest {

    @Test
    void readsPhoneRegionAndUnplannedModeFromSettings() {
        Map<String, String> s = Map.of("quality.phone-region", "AU", "quality.unplanned", "block");
        QualityRules rules = QualityConfig.rules(k -> Optional.ofNullable(s.get(k)));
        assertThat(rules.phoneRegion()).isEqualTo("AU");
        assertThat(rules.unplanned()).isEqualTo(PlanMode.BLOCK);
        assertThat(QualityConfig.rules(k -> Optional.empty()).unplanned()).isEqualTo(PlanMode.ALLOW);
    }

    @Test
    void refusesToStartWithAnUnknownModeOrRegion() {
        assertThatThrownBy(() -> QualityConfig.rules(k -> k.equals("quality.unplanned") ? Optional.of("drop-properties") : Optional.empty()))
                .hasMessageContaining("quality.unplanned");
        assertThatThrownBy(() -> QualityConfig.rules(k -> k.equals("quality.phone-region") ? Optional.of("XX") : Optional.empty()))
                .hasMessageContaining("XX");
    }
}
