package io.tessera.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualitySettingsCodecTest {
    private final QualitySettingsCodec codec = new QualitySettingsCodec();
    private final QualitySettings defaults = QualitySettings.of(QualityRules.defaults());

    @Test
    void aPartialDocumentChangesOnlyWhatItNames() {
        QualitySettingsCodec.Change c = codec.change("{\"phoneRegion\": \"DE\"}", defaults);
        assertThat(c).isInstanceOf(QualitySettingsCodec.Change.Valid.class);
        QualitySettings s = ((QualitySettingsCodec.Change.Valid) c).settings();
        assertThat(s.phoneRegion()).isEqualTo("DE");
        assertThat(s.fields()).isEqualTo(defaults.fields());
        assertThat(s.sku()).isEqualTo(defaults.sku());
    }

    @Test
    void encodeThenDecodeGivesTheSameSettings() {
        QualitySettings s = new QualitySettings(PlanMode.BLOCK, "AU", new SkuRules(SkuRules.Case.KEEP, "", Map.of("A", "B")),
                List.of(new FieldRule("properties.products[].sku", FieldRule.Check.SKU, FieldRule.OnInvalid.DROP)));
        assertThat(codec.decode(codec.encode(s), defaults)).isEqualTo(s);
    }

    @Test
    void reportsEveryProblemWithItsPointer() {
        QualitySettingsCodec.Change c = codec.change("""
                {"sku": {"case": "title", "prefixes": {"X": 1}}, "fields": [{"path": "traits.email", "check": "email", "onInvalid": "explode"}, 3]}""",
                defaults);
        assertThat(c).isInstanceOf(QualitySettingsCodec.Change.Invalid.class);
        assertThat(((QualitySettingsCodec.Change.Invalid) c).problems()).hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("/sku/case").contains("title"))
                .anySatisfy(p -> assertThat(p).startsWith("/sku/prefixes/X"))
                .anySatisfy(p -> assertThat(p).startsWith("/fields/0/onInvalid").contains("explode"))
                .anySatisfy(p -> assertThat(p).startsWith("/fields/1"));
    }
}
