package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.quality.FieldRule;
import io.tessera.quality.PlanMode;
import io.tessera.quality.QualityRules;
import io.tessera.quality.QualitySettings;
import io.tessera.quality.QualitySettingsStore;
import io.tessera.quality.SkuRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link QualitySettingsStore} adapter must do on its real technology. An adapter test
 * says how to open a store kept under a directory (or schema); opening it again must give the
 * same state. Stores that are {@link AutoCloseable} are closed after use.
 */
public abstract class QualitySettingsStoreContract {
    @TempDir
    protected Path dir;

    protected abstract QualitySettingsStore open(Path dir);

    private static final QualitySettings BASE = QualitySettings.of(QualityRules.defaults());

    private static void close(QualitySettingsStore s) throws Exception {
        if (s instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Test
    void aFreshStoreHasNothingSaved() throws Exception {
        QualitySettingsStore s = open(dir);
        assertThat(s.settings(BASE)).isEmpty();
        assertThat(s.taxonomyCsv()).isEmpty();
        close(s);
    }

    @Test
    void savedSettingsAndTaxonomySurviveReopening() throws Exception {
        QualitySettings changed = new QualitySettings(PlanMode.BLOCK, "AU",
                new SkuRules(SkuRules.Case.LOWER, "_", Map.of("old-", "new-")),
                List.of(new FieldRule("traits.mobile", FieldRule.Check.PHONE, FieldRule.OnInvalid.DROP)));
        QualitySettingsStore s = open(dir);
        s.saveSettings(changed);
        s.saveTaxonomyCsv("raw_label,canonical\nMens Shoes,Men > Footwear\n");
        close(s);

        QualitySettingsStore again = open(dir);
        assertThat(again.settings(BASE)).contains(changed);
        assertThat(again.taxonomyCsv()).contains("raw_label,canonical\nMens Shoes,Men > Footwear\n");
        close(again);
    }

    @Test
    void aSaveReplacesThePreviousValue() throws Exception {
        QualitySettingsStore s = open(dir);
        s.saveSettings(new QualitySettings(PlanMode.BLOCK, "AU", SkuRules.defaults(), List.of()));
        s.saveSettings(new QualitySettings(PlanMode.ALLOW, "NZ", SkuRules.defaults(), List.of()));
        s.saveTaxonomyCsv("raw_label,canonical\na,A\n");
        s.saveTaxonomyCsv("raw_label,canonical\nb,B\n");
        assertThat(s.settings(BASE).orElseThrow().phoneRegion()).isEqualTo("NZ");
        assertThat(s.settings(BASE).orElseThrow().unplanned()).isEqualTo(PlanMode.ALLOW);
        assertThat(s.taxonomyCsv()).contains("raw_label,canonical\nb,B\n");
        close(s);
    }
}
