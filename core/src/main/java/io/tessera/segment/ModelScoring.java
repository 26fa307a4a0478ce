package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileChange;
import io.tessera.profile.ProfileChangeListener;
import io.tessera.profile.ProfileStore;
import io.tessera.segment.predict.BgNbd;
import io.tessera.segment.predict.CustomerSummary;
import io.tessera.segment.predict.GammaGamma;
import io.tessera.segment.predict.ModelFitting;
import io.tessera.segment.predict.PredictiveScorer;
import io.tessera.segment.predict.Purchase;
import io.tessera.segment.predict.PurchaseSummaries;
import io.tessera.segment.rfm.RfmInput;
import io.tessera.segment.rfm.RfmScorer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps {@link ModelScores} current and tells the segment engine when they change.
 *
 * <ul>
 *   <li><b>Incrementally</b>, as a profile-engine listener: a purchase event rescores that customer
 *       at once (RFM against the population as of the last refresh, predictions with the fitted
 *       models) and re-evaluates the segments reading scores for them.</li>
 *   <li><b>Periodically</b> (the server schedules these): {@link #refreshRfm} recomputes the
 *       population's quintiles and every customer's RFM; {@link #rescorePredicted} recomputes
 *       every customer's predictions at the current time, since P(alive) falls as a customer stays
 *       quiet; {@link #refit} fits BG/NBD and Gamma-Gamma on all purchases to date, then rescores.</li>
 * </ul>
 * Scores live in memory, so after a restart they appear with the first scheduled run.
 *
 * <p><b>Threading.</b> {@link #onChange} runs on the profile engine's thread, the jobs on the
 * server's scoring thread; the population and the models are immutable values swapped whole
 * (volatile), the scores map is concurrent, the engine takes its own lock.
 */
public final class ModelScoring implements ProfileChangeListener {
    static final int PAGE = 500;

    /**
     * What counts as a purchase and how predictions are scaled.
     *
     * @param unit    the models' time unit (a week)
     * @param horizon how many units ahead expected purchases and CLV look (52 weeks)
     */
    public record Settings(String purchaseEvent, String valueProperty, Duration unit, double horizon) {
        public static Settings defaults() {
            return new Settings("Order Completed", "revenue", Duration.ofDays(7), 52);
        }
    }

    private final ProfileStore profiles;
    private final ModelScores scores;
    private final SegmentEngine engine;
    private final InstantSource clock;
    private final Settings settings;
    private final RfmScorer rfm;
    private final ModelFitting fitting;
    private volatile RfmScorer.Population population = RfmScorer.Population.empty();
    private volatile Optional<PredictiveScorer> model = Optional.empty();

    public ModelScoring(ProfileStore profiles, ModelScores scores, SegmentEngine engine, InstantSource clock, Settings settings) {
        this.profiles = profiles;
        this.scores = scores;
        this.engine = engine;
        this.clock = clock;
        this.settings = settings;
        this.rfm = new RfmScorer(java.util.Set.of(settings.purchaseEvent()), settings.valueProperty());
        this.fitting = new ModelFitting(profiles);
    }

    @Override
    public void onChange(ProfileChange change) {
        Event e = change.cause().event();
        if (e.type() != EventType.TRACK || !e.name().equals(settings.purchaseEvent())) {
            return;
        }
        Profile p = change.after();
        boolean changed = false;
        Optional<RfmInput> input = rfm.input(p);
        if (input.isPresent() && population.size() > 0) {
            changed = scores.putRfm(p.id(), population.score(input.get()).asMap());
        }
        if (model.isPresent()) {
            changed |= predict(p.id(), model.get(), clock.instant());
        }
        if (changed) {
            engine.rescore(List.of(p.id()));
        }
    }

    /** Recomputes the population's quintiles and every customer's RFM; returns how many customers were scored. */
    public int refreshRfm() {
        List<RfmInput> inputs = new ArrayList<>();
        forEachPage(ids -> ids.forEach(id -> profiles.get(id).flatMap(rfm::input).ifPresent(inputs::add)));
        RfmScorer.Population next = rfm.population(inputs);
        population = next;
        List<String> changed = new ArrayList<>();
        for (RfmInput i : inputs) {
            if (scores.putRfm(i.profileId(), next.score(i).asMap())) {
                changed.add(i.profileId());
            }
            if (changed.size() == PAGE) {
                engine.rescore(List.copyOf(changed));
                changed.clear();
            }
        }
        engine.rescore(changed);
        return inputs.size();
    }

    /**
     * Fits BG/NBD and Gamma-Gamma on every purchase up to now, then rescores every customer.
     * Returns false (and keeps the previous models) when there is not enough data to fit.
     */
    public boolean refit() {
        Instant now = clock.instant();
        List<CustomerSummary> summaries = PurchaseSummaries.summarize(
                fitting.purchases(settings.purchaseEvent(), settings.valueProperty()), now, settings.unit());
        if (summaries.size() < 3 || summaries.stream().filter(c -> c.frequency() > 0 && c.monetary() > 0).count() < 3) {
            return false;
        }
        model = Optional.of(new PredictiveScorer(BgNbd.fit(summaries), GammaGamma.fit(summaries), settings.horizon()));
        rescorePredicted();
        return true;
    }

    /** Whether models have been fitted. */
    public boolean fitted() {
        return model.isPresent();
    }

    /** Rescores every customer's predictions at the current time; returns how many were scored. */
    public int rescorePredicted() {
        Optional<PredictiveScorer> m = model;
        if (m.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        int[] scored = {0};
        forEachPage(ids -> {
            List<String> changed = new ArrayList<>();
            for (String id : ids) {
                if (profiles.get(id).flatMap(rfm::input).isPresent()) {
                    scored[0]++;
                    if (predict(id, m.get(), now)) {
                        changed.add(id);
                    }
                }
            }
            engine.rescore(changed);
        });
        return scored[0];
    }

    private boolean predict(String profileId, PredictiveScorer scorer, Instant now) {
        List<Purchase> purchases = ModelFitting.purchasesOf(profileId, profiles.history(profileId),
                settings.purchaseEvent(), settings.valueProperty());
        List<CustomerSummary> summary = PurchaseSummaries.summarize(purchases, now, settings.unit());
        return !summary.isEmpty() && scores.putPredicted(profileId, scorer.score(summary.get(0)));
    }

    private void forEachPage(java.util.function.Consumer<List<String>> page) {
        String after = "";
        List<String> ids;
        while (!(ids = profiles.ids(after, PAGE)).isEmpty()) {
            page.accept(ids);
            after = ids.get(ids.size() - 1);
        }
    }
}
