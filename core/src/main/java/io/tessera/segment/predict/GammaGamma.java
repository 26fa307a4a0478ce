package io.tessera.segment.predict;

import java.util.List;
import org.apache.commons.math3.special.Gamma;

/**
 * The Gamma-Gamma model of spend (Fader, Hardie &amp; Lee 2005, "RFM and CLV"): each transaction's
 * value is Gamma(p, ν) with ν ~ Gamma(q, γ) per customer. Fitted by maximum likelihood on the
 * customers with at least one repeat purchase (their mean repeat value and count).
 */
public record GammaGamma(double p, double q, double gamma, double logLikelihood) {

    public static GammaGamma fit(List<CustomerSummary> customers) {
        List<CustomerSummary> repeaters = customers.stream().filter(c -> c.frequency() > 0 && c.monetary() > 0).toList();
        double[] best = MaximumLikelihood.maximize(v -> logLikelihood(repeaters, v[0], v[1], v[2]), new double[] {1, 1, 1});
        return new GammaGamma(best[0], best[1], best[2], logLikelihood(repeaters, best[0], best[1], best[2]));
    }

    static double logLikelihood(List<CustomerSummary> cs, double p, double q, double gamma) {
        double sum = 0;
        double lnGammaQ = Gamma.logGamma(q);
        double qLnGamma = q * Math.log(gamma);
        for (CustomerSummary c : cs) {
            int x = c.frequency();
            double m = c.monetary();
            sum += Gamma.logGamma(p * x + q) - Gamma.logGamma(p * x) - lnGammaQ + qLnGamma
                    + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + x * m);
        }
        return sum;
    }

    /** E[M | x, m_x]: the expected mean transaction value of a customer (population mean when x = 0). */
    public double expectedAverageValue(int x, double meanValue) {
        if (x == 0) {
            return p * gamma / (q - 1);
        }
        return p * (gamma + x * meanValue) / (p * x + q - 1);
    }
}
