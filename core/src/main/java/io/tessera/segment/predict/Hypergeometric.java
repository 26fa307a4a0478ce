package io.tessera.segment.predict;

/** The Gaussian hypergeometric function 2F1(a, b; c; z) by its power series, for 0 ≤ z &lt; 1. */
final class Hypergeometric {
    private Hypergeometric() {}

    static double f21(double a, double b, double c, double z) {
        double term = 1;
        double sum = 1;
        for (int n = 0; n < 10_000; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.abs(term) < 1e-15 * Math.abs(sum)) {
                break;
            }
        }
        return sum;
    }
}
