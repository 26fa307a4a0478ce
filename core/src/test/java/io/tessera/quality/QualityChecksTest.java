package io.tessera.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityChecksTest {
    private static final Instant AT = Instant.parse("2026-11-02T08:00:00Z");
    private final QualityChecks checks = new QualityChecks(QualityRules.defaults());

    private static Event track(String name, Map<String, Object> properties) {
        return Event.track("m1", "u1", name, properties, AT);
    }

    private static Event identify(Map<String, Object> traits) {
        return new Event("m2", EventType.IDENTIFY, Optional.of("u1"), Optional.empty(), "", Map.of(), traits, Map.of(), Map.of(),
                Optional.empty(), Optional.empty(), AT, AT, Optional.empty(), "api");
    }

    private static QualityRules withPlan(String event, String schema, PlanMode mode) {
        CompiledPlan plan = ((CompiledPlan.Compilation.Compiled) CompiledPlan.compile(new TrackingPlan(event, 1, schema, mode))).plan();
        return QualityRules.defaults().withPlans(Map.of(event, plan), PlanMode.ALLOW);
    }

    @Test
    void normalizesTextEmailPhoneMoneySkuAndTimestampsOfAnAcceptedEvent() {
        checks.swap(QualityRules.defaults().withFields(QualityRules.defaultFields(), "AU", SkuRules.defaults()));
        QualityVerdict v = checks.check(identify(Map.of("email", "  Ann@Example.COM ", "phone", "0412 345 678",
                "name", "Cafe\u0301", "signedUpAt", "2026-11-02T10:00:00+02:00")));
        assertThat(v).isInstanceOfSatisfying(QualityVerdict.Accepted.class, a -> {
            assertThat(a.event().traits()).containsEntry("email", "Ann@example.com").containsEntry("phone", "+61412345678")
                    .containsEntry("name", "Caf\u00e9").containsEntry("signedUpAt", "2026-11-02T08:00:00Z");
            assertThat(a.warnings()).isEmpty();
        });

        QualityVerdict order = checks.check(track("Order Completed", Map.of("currency", "eur", "revenue", "19.90",
                "products", List.of(Map.of("sku", "ab_12 34", "price", 9.95)))));
        assertThat(order).isInstanceOfSatisfying(QualityVerdict.Accepted.class, a -> {
            assertThat(a.event().properties()).containsEntry("currency", "EUR").containsEntry("revenue", new BigDecimal("19.90"));
            assertThat(a.event().properties().get("products")).isEqualTo(List.of(Map.of("sku", "AB-12-34", "price", new BigDecimal("9.95"))));
        });
    }

    @Test
    void quarantinesAnInvalidEmailAndAnImpossibleDateNamingTheirPointers() {
        QualityVerdict v = checks.check(identify(Map.of("email", "ann@@example.com", "birthday", "2026-02-30T00:00:00Z")));
        assertThat(v).isInstanceOfSatisfying(QualityVerdict.Quarantined.class, q -> assertThat(q.reasons())
                .extracting(Reason::code, Reason::pointer)
                .contains(org.assertj.core.groups.Tuple.tuple("invalid_email", "/traits/email"),
                        org.assertj.core.groups.Tuple.tuple("invalid_timestamp", "/traits/birthday")));
    }

    @Test
    void mapsCategoriesThroughTheTaxonomyAndWarnsOnUnmappedLabels() {
        CategoryTaxonomy taxonomy = CategoryTaxonomy.fromCsv(new StringReader(
                "raw_label,canonical\nMens Shoes,Men > Footwear\nshoes-men,Men > Footwear\n")).taxonomy().orElseThrow();
        checks.swap(QualityRules.defaults().withTaxonomy(taxonomy));
        assertThat(checks.check(track("Product Viewed", Map.of("category", "Shoes - Men"))))
                .isInstanceOfSatisfying(QualityVerdict.Accepted.class, a -> assertThat(a.event().properties()).containsEntry("category", "Men > Footwear"));
        assertThat(checks.check(track("Product Viewed", Map.of("category", "Hats"))))
                .isInstanceOfSatisfying(QualityVerdict.Accepted.class, a -> assertThat(a.warnings())
                        .extracting(Reason::code, Reason::pointer).containsExactly(org.assertj.core.groups.Tuple.tuple("unmapped_category", "/properties/category")));
    }

    @Test
    void reportsEveryBadTaxonomyRowWithItsLineAndLoadsNothing() {
        CategoryTaxonomy.Loaded loaded = CategoryTaxonomy.fromCsv(new StringReader(
                "raw_label,canonical\nMens Shoes,Footwear\n,Hats\nmens shoes,Apparel\n"));
        assertThat(loaded.taxonomy()).isEmpty();
        assertThat(loaded.problems()).hasSize(2);
        assertThat(loaded.problems().get(0)).startsWith("line 3:");
        assertThat(loaded.problems().get(1)).startsWith("line 4:").contains("line 2");
    }

    @Test
    void blockModeQuarantinesWithTheRuleAndPointerWhileAllowModeOnlyWarns() {
        String schema = """
                {"type": "object", "required": ["orderId"],
                 "properties": {"orderId": {"type": "string"}, "revenue": {"type": "number", "minimum": 0}}}""";
        checks.swap(withPlan("Order Completed", schema, PlanMode.BLOCK));
        QualityVerdict blocked = checks.check(track("Order Completed", Map.of("revenue", -5)));
        assertThat(blocked).isInstanceOfSatisfying(QualityVerdict.Quarantined.class, q -> {
            assertThat(q.reasons()).extracting(Reason::code).containsOnly("schema_violation");
            assertThat(q.reasons()).extracting(Reason::pointer).contains("/properties/revenue", "/properties");
            assertThat(q.reasons()).anySatisfy(r -> assertThat(r.message()).contains("minimum"));
            assertThat(q.reasons()).anySatisfy(r -> assertThat(r.message()).contains("required"));
        });

        checks.swap(withPlan("Order Completed", schema, PlanMode.ALLOW));
        assertThat(checks.check(track("Order Completed", Map.of("revenue", -5))))
                .isInstanceOfSatisfying(QualityVerdict.Accepted.class, a -> assertThat(a.warnings()).hasSize(2));
    }

    @Test
    void dropPropertiesModeStripsUndeclaredProperties() {
        checks.swap(withPlan("Signed Up", "{\"type\":\"object\",\"properties\":{\"plan\":{\"type\":\"string\"}}}", PlanMode.DROP_PROPERTIES));
        assertThat(checks.check(track("Signed Up", Map.of("plan", "pro", "ssn", "123"))))
                .isInstanceOfSatisfying(QualityVerdict.Accepted.class, a -> {
                    assertThat(a.event().properties()).containsOnlyKeys("plan");
                    assertThat(a.warnings()).extracting(Reason::code, Reason::pointer)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("undeclared_property_dropped", "/properties/ssn"));
                });
    }

    @Test
    void identifyPlansCheckTraitsAndUnplannedEventsFollowTheDefault() {
        CompiledPlan traits = ((CompiledPlan.Compilation.Compiled) CompiledPlan.compile(new TrackingPlan(TrackingPlan.IDENTIFY, 1,
                "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}", PlanMode.BLOCK))).plan();
        checks.swap(QualityRules.defaults().withPlans(Map.of(TrackingPlan.IDENTIFY, traits), PlanMode.BLOCK));
        assertThat(checks.check(identify(Map.of("age", "old")))).isInstanceOfSatisfying(QualityVerdict.Quarantined.class,
                q -> assertThat(q.reasons().getFirst().pointer()).isEqualTo("/traits/age"));
        assertThat(checks.check(track("Anything", Map.of()))).isInstanceOfSatisfying(QualityVerdict.Quarantined.class,
                q -> assertThat(q.reasons().getFirst().code()).isEqualTo("unplanned_event"));
    }

    @Test
    void refusesSchemasThatAreNotJsonSchemaNamingTheProblem() {
        assertThat(CompiledPlan.compile(new TrackingPlan("E", 1, "{\"type\": \"strng\"}", PlanMode.BLOCK)))
                .isInstanceOfSatisfying(CompiledPlan.Compilation.Rejected.class, r -> assertThat(r.problems().toString()).contains("/type"));
        assertThat(CompiledPlan.compile(new TrackingPlan("E", 1, "{\"type\": ", PlanMode.BLOCK)))
                .isInstanceOfSatisfying(CompiledPlan.Compilation.Rejected.class, r -> assertThat(r.problems().getFirst()).contains("not JSON"));
    }

    @Test
    void givesIdenticalImportedRowsTheSameContentHashId() {
        assertThat(ContentHash.messageId("import", List.of("a", " b "))).isEqualTo(ContentHash.messageId("import", List.of("a", "b")))
                .isNotEqualTo(ContentHash.messageId("import", List.of("a", "c"))).startsWith("h_").hasSize(34);
    }
}
