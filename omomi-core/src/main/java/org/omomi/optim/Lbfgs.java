package org.omomi.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * Full-batch L-BFGS (Liu and Nocedal, 1989) with a strong-Wolfe line search: minimizes a smooth
 * loss of some float parameters, its gradient taken by autograd, following the algorithm of
 * {@code torch.optim.LBFGS} with {@code line_search_fn="strong_wolfe"}.
 *
 * <p><b>Algorithm.</b> With g the gradient at the parameters w, each iteration
 * <ol>
 * <li>takes the direction d = −H·g, H the inverse-Hessian estimate built by the two-loop recursion
 *     (Nocedal and Wright, <i>Numerical Optimization</i>, Algorithm 7.4) from the last
 *     {@code history} pairs s = w⁺ − w, y = g⁺ − g with y·s &gt; 1e-10, scaled by γ = s·y / y·y of
 *     the newest pair (pairs with y·s ≤ 1e-10 are skipped, as in PyTorch); the first direction is
 *     −g, tried with step min(1, 1/‖g‖₁) as in PyTorch, later ones with step 1;</li>
 * <li>finds a step t along d that satisfies the strong Wolfe conditions φ(t) ≤ φ(0) + c₁·t·φ′(0)
 *     and |φ′(t)| ≤ c₂·|φ′(0)|, c₁ = 1e-4, c₂ = 0.9 (bracketing, then zooming in with safeguarded
 *     cubic interpolation: Nocedal and Wright, Algorithms 3.5 and 3.6), at most
 *     {@code maxLineSearch} evaluations;</li>
 * <li>stops when the largest |gᵢ| is at most {@code gradientTolerance} · max(1, |loss|) (converged),
 *     or at {@code maxIterations} (not converged), or when the line search finds no acceptable step,
 *     when no float parameter changes any more, or when {@value #STALL} iterations in a row lowered
 *     neither the loss nor max |gᵢ| (not converged: float32 cannot get closer; the reason says
 *     which).</li>
 * </ol>
 *
 * <p><b>Float precision.</b> The loss is a float32 number: once the decrease a step should bring
 * (about c₁·t·φ′(0)) falls below its rounding, the Armijo test φ(t) ≤ φ(0) + c₁·t·φ′(0) is decided
 * by noise, while the gradient is still accurate. As in Hager and Zhang's CG_DESCENT (SIAM J. Optim.
 * 16, 2005) the line search then also accepts the approximate Wolfe conditions: φ(t) ≤ φ(0) + ε·|φ(0)|
 * with ε = 1e-6, and φ′(t) ≤ (2δ − 1)·φ′(0) with δ = 0.1, which speak of the slope alone.
 *
 * <p><b>Determinism.</b> The state (directions, pairs, steps) is kept in double precision and
 * combined in a fixed order on the calling thread; with omomi's kernels, which give the same bits
 * for any thread count, the same start and data give bit-identical parameters.
 */
public final class Lbfgs {

    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final double APPROX_EPSILON = 1e-6;
    private static final double APPROX_DELTA = 0.1;
    /** Smallest y·s for a curvature pair to enter the memory (PyTorch's value). */
    private static final double MIN_CURVATURE = 1e-10;
    /** Iterations in a row that lower neither the loss nor the gradient before the run is called stalled. */
    static final int STALL = 10;

    /**
     * How long to run and when to stop.
     *
     * @param maxIterations     iterations (directions tried) at most; default 500
     * @param gradientTolerance converged when max |gᵢ| ≤ this · max(1, |loss|); default 1e-6
     * @param history           curvature pairs kept (PyTorch's history_size); default 10
     * @param maxLineSearch     loss evaluations per line search at most; default 25 (PyTorch's max_ls)
     */
    public record Options(int maxIterations, double gradientTolerance, int history, int maxLineSearch) {

        public Options {
            if (maxIterations < 1) {
                throw new IllegalArgumentException("L-BFGS: maxIterations must be at least 1, got " + maxIterations);
            }
            if (!(gradientTolerance >= 0) || Double.isInfinite(gradientTolerance)) {
                throw new IllegalArgumentException("L-BFGS: gradientTolerance must be a finite number ≥ 0, got " + gradientTolerance);
            }
            if (history < 1) {
                throw new IllegalArgumentException("L-BFGS: history must be at least 1, got " + history);
            }
            if (maxLineSearch < 1) {
                throw new IllegalArgumentException("L-BFGS: maxLineSearch must be at least 1, got " + maxLineSearch);
            }
        }

        /** 500 iterations, gradient tolerance 1e-6, 10 pairs, 25 evaluations per line search. */
        public static Options defaults() {
            return new Options(500, 1e-6, 10, 25);
        }

        public Options withMaxIterations(int n) {
            return new Options(n, gradientTolerance, history, maxLineSearch);
        }

        public Options withGradientTolerance(double tol) {
            return new Options(maxIterations, tol, history, maxLineSearch);
        }
    }

    /**
     * How a minimization ended.
     *
     * @param converged    whether the gradient criterion was met
     * @param reason       one line that says why it stopped, with the numbers
     * @param iterations   iterations taken
     * @param evaluations  loss-and-gradient evaluations, the first included
     * @param loss         the loss at the final parameters
     * @param gradientNorm max |gᵢ| at the final parameters
     */
    public record Result(boolean converged, String reason, int iterations, int evaluations, double loss, double gradientNorm) {}

    /** The loss at the parameters' current values, recorded for autograd (called with recording on). */
    @FunctionalInterface
    public interface Closure {
        Tensor loss();
    }

    /** Told after each iteration: its number (from 1), the loss and max |gᵢ| at the new parameters. */
    @FunctionalInterface
    public interface Listener {
        void afterIteration(int iteration, double loss, double gradientNorm);
    }

    private final List<Tensor> parameters;
    private final Options options;
    private final int size;
    private int evaluations;

    /** Minimizes over these parameters (leaves; their values change in place, their grad() is left alone). */
    public Lbfgs(List<Tensor> parameters, Options options) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("L-BFGS: no parameters to optimize");
        }
        long n = 0;
        for (Tensor p : parameters) {
            if (!p.isLeaf() || !p.ownsArray()) {
                throw new IllegalArgumentException("L-BFGS: parameters must be dense leaf tensors");
            }
            n += p.numel();
        }
        if (n > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("L-BFGS: " + n + " parameters are too many for full-batch L-BFGS");
        }
        this.parameters = List.copyOf(parameters);
        this.options = options;
        this.size = (int) n;
    }

    /** Runs to convergence or to a limit; the parameters hold the best point found. */
    public Result minimize(Closure closure) {
        return minimize(closure, null);
    }

    /** The same, telling {@code listener} (may be null) after each iteration. */
    public Result minimize(Closure closure, Listener listener) {
        evaluations = 0;
        double[] w = read();
        double[] g = new double[size];
        double f = evaluate(closure, w, g);
        if (!Double.isFinite(f) || !allFinite(g)) {
            return new Result(false, "the loss or its gradient at the start is not finite (loss " + f + ")", 0, evaluations, f, maxAbs(g));
        }
        List<double[]> ss = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        List<Double> rhos = new ArrayList<>();
        double gamma = 1;
        boolean restarted = false;
        double bestF = f;
        double bestG = maxAbs(g);
        int stalled = 0;
        for (int iter = 1; ; iter++) {
            double gmax = maxAbs(g);
            double tol = options.gradientTolerance() * Math.max(1, Math.abs(f));
            if (gmax <= tol) {
                return new Result(true, String.format(Locale.ROOT, "gradient max |g| %.2e below tolerance %.2e", gmax, tol),
                        iter - 1, evaluations, f, gmax);
            }
            if (stalled >= STALL) {
                return new Result(false, String.format(Locale.ROOT,
                        "no decrease of the loss or the gradient in the last %d iterations: float32 precision reached (gradient max |g| %.2e, tolerance %.2e)",
                        STALL, gmax, tol), iter - 1, evaluations, f, gmax);
            }
            if (iter > options.maxIterations()) {
                return new Result(false, String.format(Locale.ROOT, "iteration limit %d reached (gradient max |g| %.2e, tolerance %.2e)",
                        options.maxIterations(), gmax, tol), iter - 1, evaluations, f, gmax);
            }
            double[] d = direction(g, ss, ys, rhos, gamma);
            double gtd = dot(g, d);
            if (!(gtd < 0)) {
                // Not a descent direction (rounding in the memory): start again from steepest descent.
                ss.clear();
                ys.clear();
                rhos.clear();
                gamma = 1;
                d = direction(g, ss, ys, rhos, gamma);
                gtd = dot(g, d);
            }
            double t = ss.isEmpty() ? Math.min(1, 1 / norm1(g)) : 1;
            Step step = lineSearch(closure, w, f, g, d, gtd, t);
            if (step == null) {
                if (!ss.isEmpty() && !restarted) {
                    // The memory may mislead after a long run in float precision: one retry from −g.
                    ss.clear();
                    ys.clear();
                    rhos.clear();
                    gamma = 1;
                    restarted = true;
                    write(w);
                    iter--;
                    continue;
                }
                write(w);
                return new Result(false, String.format(Locale.ROOT,
                        "line search found no step that lowers the loss (gradient max |g| %.2e, tolerance %.2e)", gmax, tol),
                        iter - 1, evaluations, f, gmax);
            }
            restarted = false;
            double[] s = new double[size];
            double[] y = new double[size];
            boolean moved = false;
            for (int i = 0; i < size; i++) {
                s[i] = step.w[i] - w[i];
                y[i] = step.g[i] - g[i];
                moved |= s[i] != 0;
            }
            if (!moved) {
                write(w);
                return new Result(false, String.format(Locale.ROOT,
                        "the step no longer changes any float32 parameter (gradient max |g| %.2e, tolerance %.2e)", gmax, tol),
                        iter - 1, evaluations, f, gmax);
            }
            double sy = dot(s, y);
            if (sy > MIN_CURVATURE) {
                if (ss.size() == options.history()) {
                    ss.remove(0);
                    ys.remove(0);
                    rhos.remove(0);
                }
                ss.add(s);
                ys.add(y);
                rhos.add(1 / sy);
                gamma = sy / dot(y, y);
            }
            w = step.w;
            g = step.g;
            f = step.f;
            double gNew = maxAbs(g);
            if (f < bestF || gNew < bestG) {
                stalled = 0;
            } else {
                stalled++;
            }
            bestF = Math.min(bestF, f);
            bestG = Math.min(bestG, gNew);
            if (listener != null) {
                listener.afterIteration(iter, f, maxAbs(g));
            }
        }
    }

    /** d = −H·g by the two-loop recursion, H₀ = γ·I. */
    private static double[] direction(double[] g, List<double[]> ss, List<double[]> ys, List<Double> rhos, double gamma) {
        int m = ss.size();
        double[] q = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            q[i] = -g[i];
        }
        double[] alpha = new double[m];
        for (int k = m - 1; k >= 0; k--) {
            alpha[k] = rhos.get(k) * dot(ss.get(k), q);
            axpy(-alpha[k], ys.get(k), q);
        }
        for (int i = 0; i < q.length; i++) {
            q[i] *= gamma;
        }
        for (int k = 0; k < m; k++) {
            double beta = rhos.get(k) * dot(ys.get(k), q);
            axpy(alpha[k] - beta, ss.get(k), q);
        }
        return q;
    }

    /** A point reached by the line search: step, parameters (as stored, in float), loss, gradient, φ′. */
    private record Step(double t, double[] w, double f, double[] g, double gtd) {}

    /**
     * A step along d satisfying the strong Wolfe conditions (or the approximate ones, see the class
     * comment), or null when none was found within {@code maxLineSearch} evaluations. Leaves the
     * parameters at the returned point.
     */
    private Step lineSearch(Closure closure, double[] w0, double f0, double[] g0, double[] d, double gtd0, double t) {
        double fTol = APPROX_EPSILON * Math.abs(f0);
        Step prev = new Step(0, w0, f0, g0, gtd0);
        Step best = null;
        int budget = options.maxLineSearch();
        Step lo = null;
        Step hi = null;
        while (budget-- > 0) {
            Step cur = at(closure, w0, d, t);
            if (cur == null) { // a non-finite loss: step back towards the start
                t = (prev.t + t) / 2;
                continue;
            }
            if (better(cur, best)) {
                best = cur;
            }
            boolean decrease = decreases(cur, f0, gtd0, fTol);
            if (!decrease || (prev.t > 0 && cur.f >= prev.f && !approximate(cur, f0, gtd0, fTol))) {
                lo = prev;
                hi = cur;
                break;
            }
            if (Math.abs(cur.gtd) <= -C2 * gtd0) {
                return cur;
            }
            if (cur.gtd >= 0) {
                lo = cur;
                hi = prev;
                break;
            }
            // Extrapolate: the cubic's minimizer in [t + 0.01·(t − t_prev), 10·t], as PyTorch does.
            double next = cubic(prev.t, prev.f, prev.gtd, cur.t, cur.f, cur.gtd, t + 0.01 * (t - prev.t), 10 * t);
            prev = cur;
            t = next;
        }
        if (lo == null) {
            return acceptable(best, f0, gtd0, fTol) ? restore(best) : null;
        }
        // Zoom: lo satisfies sufficient decrease and has the lower loss; the minimizer lies between lo and hi.
        while (budget-- > 0) {
            double a = Math.min(lo.t, hi.t);
            double b = Math.max(lo.t, hi.t);
            if ((b - a) * maxAbs(d) < 1e-12 * Math.max(1, maxAbs(w0))) {
                break;
            }
            double tNew = cubic(lo.t, lo.f, lo.gtd, hi.t, hi.f, hi.gtd, a, b);
            // Keep away from the ends, where the interpolant gains nothing (PyTorch's insufficient-progress rule).
            double margin = 0.1 * (b - a);
            tNew = Math.max(a + margin, Math.min(b - margin, tNew));
            Step cur = at(closure, w0, d, tNew);
            if (cur == null) {
                hi = new Step(tNew, null, Double.POSITIVE_INFINITY, null, Double.POSITIVE_INFINITY);
                continue;
            }
            if (better(cur, best)) {
                best = cur;
            }
            if (!decreases(cur, f0, gtd0, fTol) || (cur.f >= lo.f && !approximate(cur, f0, gtd0, fTol))) {
                hi = cur;
            } else {
                if (Math.abs(cur.gtd) <= -C2 * gtd0) {
                    return cur;
                }
                if (cur.gtd * (hi.t - lo.t) >= 0) {
                    hi = lo;
                }
                lo = cur;
            }
        }
        return acceptable(best, f0, gtd0, fTol) ? restore(best) : null;
    }

    /** Armijo's sufficient decrease, or the approximate Wolfe test where the loss cannot resolve it. */
    private static boolean decreases(Step s, double f0, double gtd0, double fTol) {
        return s.f <= f0 + C1 * s.t * gtd0 || approximate(s, f0, gtd0, fTol);
    }

    /** Hager and Zhang's approximate Wolfe conditions: the loss did not rise beyond its rounding, the slope flattened. */
    private static boolean approximate(Step s, double f0, double gtd0, double fTol) {
        return s.f <= f0 + fTol && s.gtd <= (2 * APPROX_DELTA - 1) * gtd0 && s.gtd >= C2 * gtd0;
    }

    /** A point to fall back on when the search runs out of evaluations: it must at least lower the loss. */
    private static boolean acceptable(Step s, double f0, double gtd0, double fTol) {
        return s != null && (s.f < f0 + C1 * s.t * gtd0 || approximate(s, f0, gtd0, fTol));
    }

    private static boolean better(Step s, Step best) {
        return best == null || s.f < best.f;
    }

    private Step restore(Step s) {
        write(s.w);
        return s;
    }

    /** Evaluates at w0 + t·d (rounded to the parameters' float); null when the loss or gradient is not finite. */
    private Step at(Closure closure, double[] w0, double[] d, double t) {
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            w[i] = (float) (w0[i] + t * d[i]);
        }
        double[] g = new double[size];
        double f = evaluate(closure, w, g);
        if (!Double.isFinite(f) || !allFinite(g)) {
            return null;
        }
        return new Step(t, w, f, g, dot(g, d));
    }

    /**
     * The minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi];
     * the midpoint of [lo, hi] when the cubic has no minimizer (Nocedal and Wright, eq. 3.59).
     */
    static double cubic(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double sq = d1 * d1 - g1 * g2;
        if (sq >= 0 && x1 != x2) {
            double d2 = Math.signum(x2 - x1) * Math.sqrt(sq);
            double x = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2));
            if (Double.isFinite(x)) {
                return Math.min(Math.max(x, lo), hi);
            }
        }
        return (lo + hi) / 2;
    }

    // ------------------------------------------------------------------ parameters as one vector

    /** Sets the parameters to w, evaluates the closure, writes the gradient into g; returns the loss. */
    private double evaluate(Closure closure, double[] w, double[] g) {
        write(w);
        evaluations++;
        Tensor loss;
        Tensor[] grads;
        try (var ignored = Autograd.enableGrad()) {
            loss = closure.loss();
            if (loss.numel() != 1) {
                throw new IllegalArgumentException("L-BFGS: the closure must return a scalar loss, got shape "
                        + java.util.Arrays.toString(loss.shape()));
            }
            grads = loss.requiresGrad() ? Autograd.grad(loss, parameters.toArray(new Tensor[0])) : null;
        }
        int k = 0;
        for (int p = 0; p < parameters.size(); p++) {
            int n = parameters.get(p).numel();
            if (grads == null) {
                java.util.Arrays.fill(g, k, k + n, 0);
            } else {
                float[] gp = grads[p].toArray();
                for (int i = 0; i < n; i++) {
                    g[k + i] = gp[i];
                }
            }
            k += n;
        }
        return loss.item();
    }

    private double[] read() {
        double[] w = new double[size];
        int k = 0;
        for (Tensor p : parameters) {
            float[] v = p.toArray();
            for (float x : v) {
                w[k++] = x;
            }
        }
        return w;
    }

    private void write(double[] w) {
        int k = 0;
        try (var ignored = Autograd.noGrad()) {
            for (Tensor p : parameters) {
                float[] a = p.array();
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) w[k++];
                }
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double norm1(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
