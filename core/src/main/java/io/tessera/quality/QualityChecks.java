package io.tessera.quality;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link QualityPipeline} every record passes: (1) trim + NFC of every string, (2) date-time
 * strings to UTC ISO-8601, (3) the field rules (email, phone, currency, amounts, SKU, category),
 * (4) the tracking plan of the event name (identify: of the traits) or the unplanned-event mode.
 * Blocking reasons quarantine the record; everything else is a warning on the accepted, cleaned
 * event. Reason pointers are JSON pointers into the event ({@code /properties/products/0/sku}).
 *
 * <p>Threading: the rules are one immutable {@link QualityRules} snapshot behind an atomic
 * reference; {@link #swap} replaces it (a plan saved through the API) and each check reads one
 * snapshot from start to end. Safe for any number of concurrent callers.
 */
public final class QualityChecks implements QualityPipeline {
    private final AtomicReference<QualityRules> rules;

    public QualityChecks(QualityRules initial) {
        this.rules = new AtomicReference<>(initial);
    }

    public void swap(QualityRules next) {
        rules.set(next);
    }

    /** Atomically replaces the rules with {@code change} applied to the current ones (retried if another change lands first). */
    public QualityRules update(java.util.function.UnaryOperator<QualityRules> change) {
        return rules.updateAndGet(change);
    }

    public QualityRules rules() {
        return rules.get();
    }

    @Override
    public QualityVerdict check(Event event) {
        QualityRules r = rules.get();
        Check c = new Check(r, deepCopy(event.properties()), deepCopy(event.traits()), deepCopy(event.context()));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("properties", c.properties);
        root.put("traits", c.traits);
        root.put("context", c.context);
        if (r.trimAndNfc()) {
            root.values().forEach(QualityChecks::cleanText);
        }
        if (r.timestamps()) {
            c.timestamps(root, "");
        }
        for (FieldRule f : r.fields()) {
            c.walk(root, List.of(f.path().split("\\.")), 0, "", f);
        }
        c.plan(event);
        if (!c.blocking.isEmpty()) {
            List<Reason> all = new ArrayList<>(c.blocking);
            all.addAll(c.warnings);
            return new QualityVerdict.Quarantined(all);
        }
        Event cleaned = new Event(event.messageId(), event.type(), event.userId(), event.anonymousId(), event.name(),
                c.properties, c.traits, c.context, event.integrations(), event.previousId(), event.groupId(),
                event.timestamp(), event.receivedAt(), event.sentAt(), event.source());
        return new QualityVerdict.Accepted(cleaned, c.warnings);
    }

    /** The state of one check: mutable copies of the event's maps and the reasons found so far. Confined to the caller. */
    private static final class Check {
        final QualityRules rules;
        final Map<String, Object> properties;
        final Map<String, Object> traits;
        final Map<String, Object> context;
        final List<Reason> blocking = new ArrayList<>();
        final List<Reason> warnings = new ArrayList<>();

        Check(QualityRules rules, Map<String, Object> properties, Map<String, Object> traits, Map<String, Object> context) {
            this.rules = rules;
            this.properties = properties;
            this.traits = traits;
            this.context = context;
        }

        @SuppressWarnings("unchecked")
        void timestamps(Object node, String pointer) {
            if (node instanceof Map<?, ?> m) {
                for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                    if (e.getValue() instanceof String s && TimestampText.looksLikeTimestamp(s)) {
                        String p = pointer + "/" + escape(e.getKey());
                        apply(TimestampText.check(s), rules.onBadTimestamp(), p, e::setValue, () -> e.setValue(REMOVED));
                    } else {
                        timestamps(e.getValue(), pointer + "/" + escape(e.getKey()));
                    }
                }
                m.values().removeIf(v -> v == REMOVED);
            } else if (node instanceof List<?> l) {
                List<Object> list = (List<Object>) l;
                for (int i = 0; i < list.size(); i++) {
                    timestamps(list.get(i), pointer + "/" + i);
                }
            }
        }

        @SuppressWarnings("unchecked")
        void walk(Map<String, Object> map, List<String> steps, int i, String pointer, FieldRule rule) {
            String step = steps.get(i);
            boolean each = step.endsWith("[]");
            String key = each ? step.substring(0, step.length() - 2) : step;
            Object value = map.get(key);
            String p = pointer + "/" + escape(key);
            boolean last = i == steps.size() - 1;
            if (value == null) {
                return;
            }
            if (each) {
                if (value instanceof List<?> l) {
                    List<Object> list = (List<Object>) l;
                    for (int k = 0; k < list.size(); k++) {
                        int at = k;
                        if (last) {
                            apply(outcome(rule, list.get(k)), rule.onInvalid(), p + "/" + k, v -> list.set(at, v), () -> list.set(at, null));
                        } else if (list.get(k) instanceof Map<?, ?> m) {
                            walk((Map<String, Object>) m, steps, i + 1, p + "/" + k, rule);
                        }
                    }
                }
            } else if (last) {
                apply(outcome(rule, value), rule.onInvalid(), p, v -> map.put(key, v), () -> map.remove(key));
            } else if (value instanceof Map<?, ?> m) {
                walk((Map<String, Object>) m, steps, i + 1, p, rule);
            }
        }

        private FieldOutcome outcome(FieldRule rule, Object value) {
            return switch (rule.check()) {
                case EMAIL -> value instanceof String s ? new EmailAddresses().check(s) : notText("invalid_email", value);
                case PHONE -> value instanceof String || value instanceof Number
                        ? new PhoneNumbers(rules.phoneRegion()).check(String.valueOf(value)) : notText("invalid_phone", value);
                case TIMESTAMP -> value instanceof String s ? TimestampText.check(s) : notText("invalid_timestamp", value);
                case CURRENCY -> value instanceof String ? CurrencyAmounts.currency(value) : notText("invalid_currency", value);
                case AMOUNT -> CurrencyAmounts.amount(value);
                case SKU -> value instanceof String || value instanceof Number ? rules.sku().check(value) : notText("invalid_sku", value);
                case CATEGORY -> value instanceof String s ? rules.taxonomy().check(s) : notText("invalid_category", value);
            };
        }

        private static FieldOutcome notText(String code, Object value) {
            return new FieldOutcome.Invalid(code, "expected a string, got " + (value instanceof Map ? "an object" : value instanceof List ? "an array" : value));
        }

        private void apply(FieldOutcome o, FieldRule.OnInvalid onInvalid, String pointer,
                java.util.function.Consumer<Object> replace, Runnable remove) {
            switch (o) {
                case FieldOutcome.Valid v -> {
                    replace.accept(v.value());
                    v.warnings().forEach(w -> warnings.add(new Reason(w.code(), pointer, w.message())));
                }
                case FieldOutcome.Invalid bad -> {
                    Reason reason = new Reason(bad.code(), pointer, bad.message());
                    switch (onInvalid) {
                        case QUARANTINE -> blocking.add(reason);
                        case WARN -> warnings.add(reason);
                        case DROP -> {
                            remove.run();
                            warnings.add(new Reason(bad.code(), pointer, bad.message() + " (value dropped)"));
                        }
                    }
                }
            }
        }

        void plan(Event event) {
            boolean identify = event.type() == EventType.IDENTIFY;
            if (!identify && event.type() != EventType.TRACK) {
                return;
            }
            Optional<CompiledPlan> plan = Optional.ofNullable(rules.plans().get(identify ? TrackingPlan.IDENTIFY : event.name()));
            if (plan.isEmpty()) {
                if (!identify && rules.unplanned() == PlanMode.BLOCK) {
                    blocking.add(new Reason("unplanned_event", "/event", "no tracking plan for event '" + event.name()
                            + "' and unplanned events are blocked"));
                }
                return;
            }
            Map<String, Object> data = identify ? traits : properties;
            String base = identify ? "/traits" : "/properties";
            CompiledPlan p = plan.get();
            if (p.plan().mode() == PlanMode.DROP_PROPERTIES) {
                for (String extra : p.undeclared(data)) {
                    data.remove(extra);
                    warnings.add(new Reason("undeclared_property_dropped", base + "/" + escape(extra),
                            "plan '" + p.plan().event() + "' v" + p.plan().version() + " does not declare '" + extra + "'; dropped"));
                }
            }
            List<Reason> violations = p.violations(data, base);
            (p.plan().mode() == PlanMode.BLOCK ? blocking : warnings).addAll(violations);
        }
    }

    private static final Object REMOVED = new Object();

    @SuppressWarnings("unchecked")
    private static Object cleanText(Object node) {
        if (node instanceof String s) {
            String t = s.strip();
            return Normalizer.isNormalized(t, Normalizer.Form.NFC) ? t : Normalizer.normalize(t, Normalizer.Form.NFC);
        }
        if (node instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).replaceAll((k, v) -> cleanText(v));
        } else if (node instanceof List<?> l) {
            ((List<Object>) l).replaceAll(QualityChecks::cleanText);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> copy = new LinkedHashMap<>(m.size() * 2);
        m.forEach((k, v) -> copy.put(k, copyValue(v)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepCopy((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(x -> copy.add(copyValue(x)));
            return copy;
        }
        return v;
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
