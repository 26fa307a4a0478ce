package io.tessera.segment.predict;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.event.JsonValues;
import io.tessera.profile.ProfileStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fits BG/NBD or Gamma-Gamma to the purchase events stored in the profiles' histories (the
 * {@code POST /api/v1/models/fit} operation). Reads every profile once; stateless.
 */
public final class ModelFitting {
    private final ProfileStore profiles;

    public ModelFitting(ProfileStore profiles) {
        this.profiles = profiles;
    }

    /** What to fit: {@code model} is "bgnbd" or "gamma-gamma"; {@code timeUnit} "day", "week" or "month" (30 days). */
    public record Request(String model, String event, String valueProperty, Instant calibrationEnd, String timeUnit) {}

    /** The fitted parameters by name, the log-likelihood, and how many customers were used. */
    public record Result(String model, Map<String, Double> parameters, double logLikelihood, int customers) {}

    /** Fits, or explains why the request cannot be fitted. */
    public sealed interface Verdict {
        record Fitted(Result result) implements Verdict {}

        record Rejected(String code, String message) implements Verdict {}
    }

    public Verdict fit(Request r) {
        Optional<Duration> unit = switch (r.timeUnit()) {
            case "day" -> Optional.of(Duration.ofDays(1));
            case "week" -> Optional.of(Duration.ofDays(7));
            case "month" -> Optional.of(Duration.ofDays(30));
            default -> Optional.empty();
        };
        if (unit.isEmpty()) {
            return new Verdict.Rejected("invalid_time_unit", "timeUnit must be day, week or month");
        }
        if (!r.model().equals("bgnbd") && !r.model().equals("gamma-gamma")) {
            return new Verdict.Rejected("invalid_model", "model must be bgnbd or gamma-gamma");
        }
        List<CustomerSummary> summaries = PurchaseSummaries.summarize(purchases(r.event(), r.valueProperty()), r.calibrationEnd(), unit.get());
        if (summaries.size() < 3 || summaries.stream().noneMatch(c -> c.frequency() > 0)) {
            return new Verdict.Rejected("not_enough_data", "need several customers with repeat \"" + r.event() + "\" events before calibrationEnd");
        }
        Map<String, Double> params = new LinkedHashMap<>();
        if (r.model().equals("bgnbd")) {
            BgNbd m = BgNbd.fit(summaries);
            params.put("r", m.r());
            params.put("alpha", m.alpha());
            params.put("a", m.a());
            params.put("b", m.b());
            return new Verdict.Fitted(new Result(r.model(), params, m.logLikelihood(), summaries.size()));
        }
        GammaGamma g = GammaGamma.fit(summaries);
        params.put("p", g.p());
        params.put("q", g.q());
        params.put("gamma", g.gamma());
        int repeaters = (int) summaries.stream().filter(c -> c.frequency() > 0 && c.monetary() > 0).count();
        return new Verdict.Fitted(new Result(r.model(), params, g.logLikelihood(), repeaters));
    }

    /** Every {@code event} in every profile's history, with its {@code valueProperty} (0 when absent). */
    public List<Purchase> purchases(String event, String valueProperty) {
        List<Purchase> out = new ArrayList<>();
        String after = "";
        while (true) {
            List<String> ids = profiles.ids(after, 1000);
            if (ids.isEmpty()) {
                return out;
            }
            for (String id : ids) {
                out.addAll(purchasesOf(id, profiles.history(id), event, valueProperty));
            }
            after = ids.get(ids.size() - 1);
        }
    }

    /** The {@code event}s of one profile's history as purchases. */
    public static List<Purchase> purchasesOf(String profileId, List<Event> history, String event, String valueProperty) {
        List<Purchase> out = new ArrayList<>();
        for (Event e : history) {
            if (e.type() == EventType.TRACK && e.name().equals(event)) {
                double v = JsonValues.at(e.properties(), valueProperty).flatMap(JsonValues::asDecimal)
                        .map(BigDecimal::doubleValue).orElse(0.0);
                out.add(new Purchase(profileId, e.timestamp(), v));
            }
        }
        return out;
    }
}
