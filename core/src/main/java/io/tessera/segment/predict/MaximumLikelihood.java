package io.tessera.segment.predict;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximizes a log-likelihood over strictly positive parameters: Nelder-Mead on their logarithms,
 * restarted from the previous optimum until it stops improving (a single simplex run can stall
 * on these flat surfaces).
 */
final class MaximumLikelihood {
    private MaximumLikelihood() {}

    static double[] maximize(ToDoubleFunction<double[]> logLikelihood, double[] start) {
        ObjectiveFunction f = new ObjectiveFunction(logs -> {
            double[] p = new double[logs.length];
            for (int i = 0; i < logs.length; i++) {
                p[i] = Math.exp(logs[i]);
            }
            double ll = logLikelihood.applyAsDouble(p);
            return Double.isFinite(ll) ? ll : -1e300;
        });
        double[] x = new double[start.length];
        for (int i = 0; i < start.length; i++) {
            x[i] = Math.log(start[i]);
        }
        double previous = Double.NEGATIVE_INFINITY;
        for (int round = 0; round < 20; round++) {
            PointValuePair best = new SimplexOptimizer(1e-12, 1e-12).optimize(new MaxEval(20_000), new MaxIter(20_000), f,
                    GoalType.MAXIMIZE, new InitialGuess(x), new NelderMeadSimplex(x.length, 0.5));
            x = best.getPoint();
            if (best.getValue() - previous < 1e-9) {
                break;
            }
            previous = best.getValue();
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i]);
        }
        return out;
    }
}
