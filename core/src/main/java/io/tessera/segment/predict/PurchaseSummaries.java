package io.tessera.segment.predict;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns purchase events into {@link CustomerSummary}s the way Fader, Hardie &amp; Lee (and the
 * lifetimes library) do: purchases on the same UTC day are one transaction (values added), the
 * first transaction is the customer's "birth", later ones in the calibration period are repeats.
 */
public final class PurchaseSummaries {
    private PurchaseSummaries() {}

    /**
     * @param calibrationEnd the end of the calibration period, inclusive (purchases at or before it
     *                       count; ages are measured to its UTC day, as lifetimes' observation_period_end)
     * @param unit           the model's time unit (a week: {@code Duration.ofDays(7)})
     */
    public static List<CustomerSummary> summarize(List<Purchase> purchases, Instant calibrationEnd, Duration unit) {
        Map<String, TreeMap<LocalDate, Double>> byCustomer = new TreeMap<>();
        for (Purchase p : purchases) {
            if (p.at().isAfter(calibrationEnd)) {
                continue;
            }
            LocalDate day = LocalDate.ofInstant(p.at(), ZoneOffset.UTC);
            byCustomer.computeIfAbsent(p.customerId(), k -> new TreeMap<>()).merge(day, p.value(), Double::sum);
        }
        LocalDate end = LocalDate.ofInstant(calibrationEnd, ZoneOffset.UTC);
        double unitDays = unit.toSeconds() / 86_400.0;
        List<CustomerSummary> out = new ArrayList<>(byCustomer.size());
        byCustomer.forEach((id, days) -> {
            LocalDate first = days.firstKey();
            LocalDate last = days.lastKey();
            int repeats = days.size() - 1;
            double monetary = repeats == 0 ? 0 : days.tailMap(first, false).values().stream().mapToDouble(Double::doubleValue).sum() / repeats;
            out.add(new CustomerSummary(id, repeats, ChronoUnit.DAYS.between(first, last) / unitDays,
                    ChronoUnit.DAYS.between(first, end) / unitDays, monetary));
        });
        return out;
    }
}
