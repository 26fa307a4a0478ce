package io.tessera.quality;

import java.util.List;
import java.util.Map;

/**
 * One immutable snapshot of everything the pipeline checks: text normalization, field rules and
 * their settings (phone region, SKU rules, category taxonomy), and the compiled tracking plans
 * with the mode for unplanned events. Swapped as a whole in {@link QualityChecks}.
 *
 * @param trimAndNfc    trim every string value and normalize it to Unicode NFC
 * @param timestamps    rewrite every string that looks like a date-time to UTC ISO-8601 (impossible dates: invalid)
 * @param onBadTimestamp what an impossible date-time does
 * @param phoneRegion   default region for phone numbers without a country code
 * @param unplanned     what happens to track events without a plan: ALLOW (accept) or BLOCK (quarantine)
 */
public record QualityRules(
        boolean trimAndNfc,
        boolean timestamps,
        FieldRule.OnInvalid onBadTimestamp,
        String phoneRegion,
        SkuRules sku,
        CategoryTaxonomy taxonomy,
        List<FieldRule> fields,
        Map<String, CompiledPlan> plans,
        PlanMode unplanned) {

    public QualityRules {
        fields = List.copyOf(fields);
        plans = Map.copyOf(plans);
        new PhoneNumbers(phoneRegion);
        if (unplanned == PlanMode.DROP_PROPERTIES) {
            throw new IllegalArgumentException("unplanned events are either allowed or blocked");
        }
    }

    /** The default field rules: emails quarantine when invalid, phones warn, money and SKUs normalize, categories map. */
    public static List<FieldRule> defaultFields() {
        return List.of(
                new FieldRule("traits.email", FieldRule.Check.EMAIL, FieldRule.OnInvalid.QUARANTINE),
                new FieldRule("context.traits.email", FieldRule.Check.EMAIL, FieldRule.OnInvalid.QUARANTINE),
                new FieldRule("properties.email", FieldRule.Check.EMAIL, FieldRule.OnInvalid.QUARANTINE),
                new FieldRule("traits.phone", FieldRule.Check.PHONE, FieldRule.OnInvalid.WARN),
                new FieldRule("context.traits.phone", FieldRule.Check.PHONE, FieldRule.OnInvalid.WARN),
                new FieldRule("properties.currency", FieldRule.Check.CURRENCY, FieldRule.OnInvalid.QUARANTINE),
                new FieldRule("properties.revenue", FieldRule.Check.AMOUNT, FieldRule.OnInvalid.QUARANTINE),
                new FieldRule("properties.total", FieldRule.Check.AMOUNT, FieldRule.OnInvalid.QUARANTINE),
                new FieldRule("properties.price", FieldRule.Check.AMOUNT, FieldRule.OnInvalid.QUARANTINE),
                new FieldRule("properties.value", FieldRule.Check.AMOUNT, FieldRule.OnInvalid.WARN),
                new FieldRule("properties.sku", FieldRule.Check.SKU, FieldRule.OnInvalid.WARN),
                new FieldRule("properties.products[].sku", FieldRule.Check.SKU, FieldRule.OnInvalid.WARN),
                new FieldRule("properties.products[].price", FieldRule.Check.AMOUNT, FieldRule.OnInvalid.QUARANTINE),
                new FieldRule("properties.category", FieldRule.Check.CATEGORY, FieldRule.OnInvalid.WARN),
                new FieldRule("properties.products[].category", FieldRule.Check.CATEGORY, FieldRule.OnInvalid.WARN));
    }

    /** Sensible defaults: trim + NFC, UTC timestamps, region US, upper-case SKUs, no taxonomy, no plans, unplanned allowed. */
    public static QualityRules defaults() {
        return new QualityRules(true, true, FieldRule.OnInvalid.QUARANTINE, "US", SkuRules.defaults(),
                CategoryTaxonomy.empty(), defaultFields(), Map.of(), PlanMode.ALLOW);
    }

    public QualityRules withPlans(Map<String, CompiledPlan> p, PlanMode unplannedMode) {
        return new QualityRules(trimAndNfc, timestamps, onBadTimestamp, phoneRegion, sku, taxonomy, fields, p, unplannedMode);
    }

    public QualityRules withTaxonomy(CategoryTaxonomy t) {
        return new QualityRules(trimAndNfc, timestamps, onBadTimestamp, phoneRegion, sku, t, fields, plans, unplanned);
    }

    public QualityRules withFields(List<FieldRule> f, String region, SkuRules skuRules) {
        return new QualityRules(trimAndNfc, timestamps, onBadTimestamp, region, skuRules, taxonomy, f, plans, unplanned);
    }
}
