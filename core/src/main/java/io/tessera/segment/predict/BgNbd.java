package io.tessera.segment.predict;

import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * The BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy Way"): while
 * alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they
 * die with probability p ~ Beta(a, b). Fitted by maximum likelihood (equation 6 of the paper) on
 * log-parameters with Nelder-Mead.
 */
public record BgNbd(double r, double alpha, double a, double b, double logLikelihood) {

    /** Fits the model to calibration summaries (every customer, including those with no repeat). */
    public static BgNbd fit(List<CustomerSummary> customers) {
        double[] best = MaximumLikelihood.maximize(p -> logLikelihood(customers, p[0], p[1], p[2], p[3]),
                new double[] {1, 1, 1, 1});
        return new BgNbd(best[0], best[1], best[2], best[3], logLikelihood(customers, best[0], best[1], best[2], best[3]));
    }

    static double logLikelihood(List<CustomerSummary> cs, double r, double alpha, double a, double b) {
        double sum = 0;
        double lnBetaAB = Gamma.logGamma(a) + Gamma.logGamma(b) - Gamma.logGamma(a + b);
        double rLnAlpha = r * Math.log(alpha);
        double lnGammaR = Gamma.logGamma(r);
        for (CustomerSummary c : cs) {
            int x = c.frequency();
            double a1 = Gamma.logGamma(r + x) - lnGammaR + rLnAlpha;
            double a2 = Gamma.logGamma(a) + Gamma.logGamma(b + x) - Gamma.logGamma(a + b + x) - lnBetaAB;
            double a3 = -(r + x) * Math.log(alpha + c.age());
            double ll;
            if (x > 0) {
                double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + c.recency());
                double m = Math.max(a3, a4);
                ll = a1 + a2 + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
            } else {
                ll = a1 + a2 + a3;
            }
            sum += ll;
        }
        return sum;
    }

    /** P(alive | x, t_x, T): the probability the customer has not dropped out. */
    public double probabilityAlive(int x, double recency, double age) {
        if (x == 0) {
            return 1.0;
        }
        double ratio = Math.exp((r + x) * (Math.log(alpha + age) - Math.log(alpha + recency)));
        return 1.0 / (1.0 + a / (b + x - 1) * ratio);
    }

    /** Expected repeat purchases in the next {@code t} time units, given the customer's history (eq. 10). */
    public double expectedPurchases(double t, int x, double recency, double age) {
        double z = t / (alpha + age + t);
        double hyp = Hypergeometric.f21(r + x, b + x, a + b + x - 1, z);
        double first = (a + b + x - 1) / (a - 1);
        double second = 1 - Math.pow((alpha + age) / (alpha + age + t), r + x) * hyp;
        double denom = x > 0 ? 1 + a / (b + x - 1) * Math.pow((alpha + age) / (alpha + recency), r + x) : 1;
        return first * second / denom;
    }
}
