package io.tessera.delivery.campaign;

import io.tessera.delivery.SendLedger;
import io.tessera.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Campaign results per arm (each variant and the holdout), and each variant's lift over the
 * holdout with a 95% confidence interval.
 *
 * <p>Lift compares "ordered within the campaign's conversion window after the send (or, for the
 * holdout, after the moment they would have been sent)" — the only outcome the holdout can
 * have, since it received nothing to open or click. {@code converted} per arm is the stricter
 * attributed figure: an order within the window after the last click. The interval is the Wald
 * interval of the difference of two proportions; with small arms it is wide, as it should be.
 */
public record CampaignStats(Map<String, Arm> arms, Map<String, Lift> liftVsHoldout) {

    /** What tracking knows about one recipient of one campaign. */
    public record Engagement(int opens, int clicks, boolean unsubscribed, boolean complained,
                             boolean convertedAfterClick, boolean orderedInWindow) {
        public static final Engagement NONE = new Engagement(0, 0, false, false, false, false);
    }

    /**
     * What one recipient's history says about one campaign. Opens, clicks, unsubscribes and
     * complaints are the tracking events carrying {@code properties.campaign}. {@code orderedInWindow}:
     * an "Order Completed" within {@code window} after {@code sentAt} (empty: never sent). A
     * conversion is attributed to the <b>last click</b>: an order counts for this campaign when the
     * latest "Email Link Clicked" of <em>any</em> campaign at or before it is one of this
     * campaign's, less than {@code window} earlier — a later click on another campaign takes the
     * order away from this one.
     */
    public static Engagement engagement(String campaign, List<Event> history, Optional<Instant> sentAt, Duration window) {
        int opens = 0;
        int clicks = 0;
        boolean unsubscribed = false;
        boolean complained = false;
        List<Event> allClicks = new ArrayList<>();
        for (Event e : history) {
            Object of = e.properties().get("campaign");
            if (e.name().equals("Email Link Clicked") && of != null) {
                allClicks.add(e);
            }
            if (!campaign.equals(of)) {
                continue;
            }
            switch (e.name()) {
                case "Email Opened" -> opens++;
                case "Email Link Clicked" -> clicks++;
                case "Unsubscribed" -> unsubscribed = true;
                case "Email Marked as Spam" -> complained = true;
                default -> { }
            }
        }
        boolean orderedInWindow = false;
        boolean converted = false;
        for (Event e : history) {
            if (!e.name().equals("Order Completed")) {
                continue;
            }
            Instant t = e.timestamp();
            if (sentAt.isPresent() && !t.isBefore(sentAt.get()) && t.isBefore(sentAt.get().plus(window))) {
                orderedInWindow = true;
            }
            Event lastClick = null;
            for (Event c : allClicks) {
                if (!c.timestamp().isAfter(t) && (lastClick == null || c.timestamp().isAfter(lastClick.timestamp()))) {
                    lastClick = c;
                }
            }
            if (lastClick != null && campaign.equals(lastClick.properties().get("campaign"))
                    && t.isBefore(lastClick.timestamp().plus(window))) {
                converted = true;
            }
        }
        return new Engagement(opens, clicks, unsubscribed, complained, converted, orderedInWindow);
    }

    public record Arm(String name, long audience, long sent, long delivered, long bounced, long skipped,
                      long openedUnique, long openedTotal, long clickedUnique, long clickedTotal,
                      long unsubscribed, long converted, long orderedInWindow) {
        public double orderRate() {
            return audience == 0 ? 0 : (double) orderedInWindow / audience;
        }
    }

    /** Absolute difference in order rate (variant − holdout), its 95% interval, and the relative lift. */
    public record Lift(double difference, double low, double high, double relative) {}

    public static CampaignStats of(List<SendLedger.Row> rows, Function<String, Engagement> engagementByProfile) {
        Map<String, long[]> acc = new LinkedHashMap<>();
        for (SendLedger.Row row : rows) {
            long[] a = acc.computeIfAbsent(row.variant(), k -> new long[12]);
            boolean holdout = row.variant().equals(Allocation.HOLDOUT);
            boolean skippedOther = row.stage() == SendLedger.Stage.SKIPPED && !holdout;
            if (skippedOther) {
                a[4]++;
                continue;
            }
            a[0]++;
            Engagement e = engagementByProfile.apply(row.key().profileId());
            if (!holdout) {
                a[1]++;
                if (row.stage() == SendLedger.Stage.DELIVERED || row.stage() == SendLedger.Stage.COMMITTING) {
                    a[2]++;
                }
                if (row.stage() == SendLedger.Stage.BOUNCED) {
                    a[3]++;
                }
                a[5] += e.opens() > 0 ? 1 : 0;
                a[6] += e.opens();
                a[7] += e.clicks() > 0 ? 1 : 0;
                a[8] += e.clicks();
                a[9] += e.unsubscribed() ? 1 : 0;
                a[10] += e.convertedAfterClick() ? 1 : 0;
            }
            a[11] += e.orderedInWindow() ? 1 : 0;
        }
        Map<String, Arm> arms = new LinkedHashMap<>();
        acc.forEach((name, a) -> arms.put(name, new Arm(name, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                a[9], a[10], a[11])));
        Map<String, Lift> lifts = new LinkedHashMap<>();
        Arm holdout = arms.get(Allocation.HOLDOUT);
        if (holdout != null && holdout.audience() > 0) {
            arms.values().stream().filter(a -> !a.name().equals(Allocation.HOLDOUT) && a.audience() > 0)
                    .forEach(a -> lifts.put(a.name(), lift(a, holdout)));
        }
        return new CampaignStats(arms, lifts);
    }

    static Lift lift(Arm variant, Arm holdout) {
        double p1 = variant.orderRate();
        double p0 = holdout.orderRate();
        double se = Math.sqrt(p1 * (1 - p1) / variant.audience() + p0 * (1 - p0) / holdout.audience());
        double diff = p1 - p0;
        double relative = p0 == 0 ? Double.NaN : diff / p0;
        return new Lift(diff, diff - 1.959964 * se, diff + 1.959964 * se, relative);
    }
}
