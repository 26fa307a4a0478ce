package io.tessera.quality;

import io.tessera.event.Event;
import io.tessera.event.EventBatchHandler;
import io.tessera.event.EventType;
import io.tessera.event.LoggedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Feeds the {@link DataDictionary} from the event log: per batch it counts, for every event name
 * (identify: {@code $identify}; page/screen/group/alias: {@code $page} …) and every top-level
 * property (identify: trait), the observed JSON types, and every category label (under
 * {@link #CATEGORIES}), and stores them with the batch's last offset. Stateless between batches; called on the log's delivery thread.
 */
public final class DictionaryBuilder implements EventBatchHandler {
    /**
     * The dictionary's pseudo event under which category labels are counted (property = the label
     * as stored: canonical when the taxonomy mapped it, raw otherwise); the taxonomy API reports the
     * unmapped ones from it, and the event listing leaves it out.
     */
    public static final String CATEGORIES = "$category";

    private final DataDictionary dictionary;

    public DictionaryBuilder(DataDictionary dictionary) {
        this.dictionary = dictionary;
    }

    @Override
    public long resumeAfter(int partition) {
        return dictionary.resumeAfter(partition);
    }

    @Override
    public void onBatch(int partition, List<LoggedEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<List<String>, DataDictionary.Entry> counts = new LinkedHashMap<>();
        for (LoggedEvent le : batch) {
            Event e = le.event();
            String name = eventKey(e);
            Instant at = e.receivedAt();
            add(counts, name, "", "event", at);
            Map<String, Object> data = e.type() == EventType.IDENTIFY || e.type() == EventType.GROUP ? e.traits() : e.properties();
            data.forEach((k, v) -> add(counts, name, k, typeOf(v), at));
            categoryLabels(e.properties()).forEach(label -> add(counts, CATEGORIES, label, "string", at));
        }
        dictionary.record(partition, batch.getLast().offset(), new ArrayList<>(counts.values()));
    }

    /** The labels at {@code properties.category} and {@code properties.products[].category}. */
    static List<String> categoryLabels(Map<String, Object> properties) {
        List<String> out = new ArrayList<>(1);
        if (properties.get("category") instanceof String s && !s.isBlank()) {
            out.add(s);
        }
        if (properties.get("products") instanceof List<?> products) {
            for (Object p : products) {
                if (p instanceof Map<?, ?> m && m.get("category") instanceof String s && !s.isBlank()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    static String eventKey(Event e) {
        return switch (e.type()) {
            case TRACK -> e.name();
            case IDENTIFY -> TrackingPlan.IDENTIFY;
            default -> "$" + e.type().name().toLowerCase(Locale.ROOT);
        };
    }

    private static void add(Map<List<String>, DataDictionary.Entry> counts, String event, String property, String type, Instant at) {
        counts.merge(List.of(event, property, type), new DataDictionary.Entry(event, property, type, 1, at, at),
                (a, b) -> new DataDictionary.Entry(event, property, type, a.count() + 1,
                        a.firstSeen().isBefore(at) ? a.firstSeen() : at, a.lastSeen().isAfter(at) ? a.lastSeen() : at));
    }

    static String typeOf(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof List<?>) {
            return "array";
        }
        return "object";
    }
}
