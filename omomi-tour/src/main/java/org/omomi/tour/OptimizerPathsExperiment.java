package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.omomi.explain.Figure;
import org.omomi.explain.plot.LineChart;
import org.omomi.optim.Adam;
import org.omomi.optim.Optimizer;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Tensor;

/**
 * The paths four optimizers take on f(x, y) = x²/20 + y² from (−7, 2): a long, narrow valley
 * (curvature 1/10 along x, 2 along y), the classic picture of why plain gradient descent
 * zig-zags. Each optimizer is omomi's own, stepping a 2-element parameter tensor with the
 * gradient from autograd.
 *
 * <p>Settings: SGD η = 0.95; SGD with momentum η = 0.1, μ = 0.9; Adam η = 0.3; AdamW η = 0.3,
 * decoupled weight decay λ = 0.1. Option "steps" (default 30, also in quick mode).
 */
public final class OptimizerPathsExperiment implements Experiment {

    static final double X0 = -7;
    static final double Y0 = 2;

    public OptimizerPathsExperiment() {}

    @Override
    public String name() {
        return "optimizer-paths";
    }

    /** f(x, y) = x²/20 + y². */
    static double f(double x, double y) {
        return x * x / 20 + y * y;
    }

    private record Run(String name, double[] x, double[] y) {

        double finalDistance() {
            int n = x.length - 1;
            return Math.hypot(x[n], y[n]);
        }

        double finalF() {
            int n = x.length - 1;
            return f(x[n], y[n]);
        }

        double closest() {
            double d = Double.POSITIVE_INFINITY;
            for (int i = 0; i < x.length; i++) {
                d = Math.min(d, Math.hypot(x[i], y[i]));
            }
            return d;
        }

        /** The first step after which the point is within {@code r} of the minimum, or −1. */
        int firstWithin(double r) {
            for (int i = 0; i < x.length; i++) {
                if (Math.hypot(x[i], y[i]) < r) {
                    return i;
                }
            }
            return -1;
        }

        static int signChanges(double[] v) {
            int n = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] * v[i - 1] < 0) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Runs {@code steps} steps of the optimizer that {@code make} builds on the point (−7, 2). */
    private static Run descend(String name, Function<List<Tensor>, Optimizer> make, int steps) {
        Tensor p = Tensor.vector((float) X0, (float) Y0).requiresGrad(true);
        Tensor scale = Tensor.vector(1f / 20, 1f);
        Optimizer opt = make.apply(List.of(p));
        double[] xs = new double[steps + 1];
        double[] ys = new double[steps + 1];
        xs[0] = X0;
        ys[0] = Y0;
        for (int s = 1; s <= steps; s++) {
            opt.zeroGrad();
            p.pow(2).mul(scale).sum().backward();
            opt.step();
            xs[s] = p.get(0);
            ys[s] = p.get(1);
        }
        return new Run(name, xs, ys);
    }

    @Override
    public java.util.List<String> flags() {
        return java.util.List.of("steps");
    }

    @Override
    public Part run(Setting setting) {
        int steps = setting.option("steps", 30, 30);
        List<Run> runs = List.of(
                descend("SGD (lr 0.95)", ps -> Sgd.of(ps, 0.95), steps),
                descend("Momentum (lr 0.1, 0.9)", ps -> new Sgd(ps, Sgd.Options.lr(0.1).withMomentum(0.9)), steps),
                descend("Adam (lr 0.3)", ps -> new Adam(ps, Adam.Options.adam().withLr(0.3)), steps),
                descend("AdamW (lr 0.3, wd 0.1)", ps -> new Adam(ps, Adam.Options.adamW().withLr(0.3).withWeightDecay(0.1)), steps));
        Run sgd = runs.get(0);
        Run momentum = runs.get(1);
        Run adam = runs.get(2);
        Run adamW = runs.get(3);
        String[] keys = {"sgd", "momentum", "adam", "adamw"};

        Part part = new Part(name(), Text.of("Optimizers on a narrow valley", "細長い谷での最適化手法の比較"));
        part.say("Four optimizers minimise f(x, y) = x²/20 + y² from (−7, 2) for " + steps + " steps. The valley is twenty times "
                        + "steeper across (y) than along (x), so one learning rate cannot suit both directions. Each step uses omomi's own "
                        + "optimizer on a two-element parameter tensor, with the gradient from autograd.",
                "f(x, y) = x²/20 + y² を (−7, 2) から " + steps + " 反復で最小化し、4つの最適化手法の道筋を比べます。この谷は x 方向より"
                        + " y 方向が20倍急なので、1つの学習率で両方向に合わせることはできません。各反復は omomi の最適化手法が"
                        + "2要素のパラメータを更新し、勾配は自動微分で求めています。");
        part.say(String.format(Locale.ROOT, "Plain SGD (η = 0.95) overshoots across the valley at every step: y flips sign %d times in %d steps. "
                                + "Momentum (η = 0.1, μ = 0.9) and Adam (η = 0.3) move smoothly, but momentum carries on past the minimum "
                                + "along x and swings back. AdamW is Adam with decoupled weight decay (λ = 0.1), which shrinks both coordinates "
                                + "towards 0 every step; here 0 is also the minimum, so the decay helps.",
                        Run.signChanges(sgd.y), steps),
                String.format(Locale.ROOT, "素の SGD（学習率 η = 0.95）は毎回谷を横切って行き過ぎ、%d 反復で y の符号が %d 回入れ替わります（ジグザグ）。"
                                + "Momentum（η = 0.1、μ = 0.9）と Adam（η = 0.3）は滑らかに進みますが、Momentum は x 方向で最小点を通り過ぎてから戻ってきます。"
                                + "AdamW は Adam に分離型の重み減衰（weight decay、λ = 0.1）を加えたもので、毎反復すべての座標を0に向けて縮めます。"
                                + "この関数では0が最小点でもあるので、減衰が収束を助けます。",
                        steps, Run.signChanges(sgd.y)));

        part.picture(chart(runs), Text.of("Paths of four optimizers on f(x, y) = x²/20 + y²", "f(x, y) = x²/20 + y² 上の4つの最適化手法の道筋"),
                Text.of("One dot per step from (−7, 2); the minimum is at (0, 0). Grey ellipses are contour lines of f at 0.1, 0.5, 1, 2 and 4. "
                                + "The axes are not to the same scale: the valley is much narrower than it looks.",
                        "(−7, 2) から1反復ごとに点を打っています。最小点は (0, 0)。灰色の楕円は f = 0.1, 0.5, 1, 2, 4 の等高線です。"
                                + "縦横の縮尺は異なり、実際の谷は見た目よりずっと細長い形です。"));

        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> paths = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            rows.add(List.of(r.name, fmt(r.x[steps]), fmt(r.y[steps]), fmt(r.finalDistance()), fmt(r.finalF()), fmt(r.closest()),
                    String.valueOf(r.firstWithin(1)), String.valueOf(Run.signChanges(r.y)), String.valueOf(Run.signChanges(r.x))));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("x", Fit.list(r.x));
            m.put("y", Fit.list(r.y));
            m.put("final_distance", r.finalDistance());
            m.put("final_f", r.finalF());
            m.put("closest_distance", r.closest());
            m.put("first_step_within_1", r.firstWithin(1));
            m.put("y_sign_changes", Run.signChanges(r.y));
            m.put("x_sign_changes", Run.signChanges(r.x));
            paths.put(keys[i], m);
        }
        part.table(List.of(Text.of("optimizer", "最適化手法"), Text.of("final x", "最終 x"), Text.of("final y", "最終 y"),
                        Text.of("distance to (0, 0)", "(0, 0) までの距離"), Text.of("final f", "最終 f"),
                        Text.of("closest on the way", "途中の最接近距離"), Text.of("first step within 1", "距離1未満になった反復"),
                        Text.of("sign changes of y", "y の符号反転"), Text.of("sign changes of x", "x の符号反転")),
                rows);
        part.number("steps", steps);
        part.number("paths", paths);
        part.say(String.format(Locale.ROOT, "No optimizer wins on every count. After %d steps SGD is at distance %.2f with f = %.3f, momentum at %.2f "
                                + "(it came within %.2f on the way), Adam at %.2f and AdamW at %.2f. The zig-zag wastes SGD's steps across "
                                + "the valley, but with η = 0.95 it still shrinks x by 1 − 0.95/10 = 0.905 per step.",
                        steps, sgd.finalDistance(), sgd.finalF(), momentum.finalDistance(), momentum.closest(), adam.finalDistance(), adamW.finalDistance()),
                String.format(Locale.ROOT, "どの手法もすべての点で勝るわけではありません。%d 反復後、SGD は距離 %.2f（f = %.3f）、Momentum は %.2f"
                                + "（途中で %.2f まで近づいた）、Adam は %.2f、AdamW は %.2f です。SGD のジグザグは谷を横切る方向に反復を浪費しますが、"
                                + "η = 0.95 では x 方向にも毎反復 1 − 0.95/10 = 0.905 倍に縮みます。",
                        steps, sgd.finalDistance(), sgd.finalF(), momentum.finalDistance(), momentum.closest(), adam.finalDistance(), adamW.finalDistance()));

        int sgdFlips = Run.signChanges(sgd.y);
        int maxOtherFlips = Math.max(Math.max(Run.signChanges(momentum.y), Run.signChanges(adam.y)), Run.signChanges(adamW.y));
        part.claim("sgd_zigzags",
                "SGD zig-zags across the valley: y changes sign at every step, while momentum, Adam and AdamW change it only a few times.",
                "SGD は谷を横切ってジグザグに進みます。y の符号が毎反復入れ替わるのに対し、Momentum・Adam・AdamW では数回だけです。",
                sgdFlips == steps && maxOtherFlips <= steps / 5,
                String.format(Locale.ROOT, "sign changes of y: SGD %d of %d steps; momentum %d, Adam %d, AdamW %d",
                        sgdFlips, steps, Run.signChanges(momentum.y), Run.signChanges(adam.y), Run.signChanges(adamW.y)));
        part.claim("momentum_overshoots",
                "Momentum overshoots: it passes x = 0, comes closer to the minimum on the way than SGD ever does, yet ends farther away than SGD.",
                "Momentum は行き過ぎます。x = 0 を通り過ぎ、途中では SGD のどの時点よりも最小点に近づきますが、最後は SGD より遠くにいます。",
                Run.signChanges(momentum.x) >= 1 && momentum.closest() < sgd.closest() && momentum.finalDistance() > sgd.finalDistance(),
                String.format(Locale.ROOT, "momentum: x sign changes %d, closest %.3f, final %.3f; SGD: closest %.3f, final %.3f",
                        Run.signChanges(momentum.x), momentum.closest(), momentum.finalDistance(), sgd.closest(), sgd.finalDistance()));
        part.claim("adamw_decay_pulls_in",
                "AdamW's weight decay pulls towards the origin, here the minimum: AdamW gets within distance 1 in fewer steps than Adam, and comes closer on the way.",
                "AdamW の重み減衰は原点（ここでは最小点）へ引き寄せます。AdamW は Adam より少ない反復で距離1以内に入り、途中の最接近距離も小さくなります。",
                adamW.firstWithin(1) >= 0 && (adam.firstWithin(1) < 0 || adamW.firstWithin(1) < adam.firstWithin(1)) && adamW.closest() < adam.closest(),
                String.format(Locale.ROOT, "first step within 1: AdamW %d, Adam %d; closest: AdamW %.3f, Adam %.3f",
                        adamW.firstWithin(1), adam.firstWithin(1), adamW.closest(), adam.closest()));
        return part;
    }

    private static Figure chart(List<Run> runs) {
        double xlo = -8.2;
        double xhi = X0;
        double ylo = -2.3;
        double yhi = 2.3;
        for (Run r : runs) {
            for (int i = 0; i < r.x.length; i++) {
                xhi = Math.max(xhi, r.x[i]);
                xlo = Math.min(xlo, r.x[i]);
                ylo = Math.min(ylo, r.y[i]);
                yhi = Math.max(yhi, r.y[i]);
            }
        }
        xhi = Math.max(xhi + 0.8, 2);
        LineChart c = new LineChart("Optimizer paths on f(x, y) = x^2/20 + y^2", "x", "y").markers(true);
        for (double level : new double[] {0.1, 0.5, 1, 2, 4}) {
            int n = 241;
            double[] gx = new double[n];
            double[] gy = new double[n];
            for (int i = 0; i < n; i++) {
                double t = 2 * Math.PI * i / (n - 1);
                double x = Math.sqrt(20 * level) * Math.cos(t);
                double y = Math.sqrt(level) * Math.sin(t);
                boolean inside = x >= xlo && x <= xhi && y >= ylo && y <= yhi;
                gx[i] = inside ? x : Double.NaN;
                gy[i] = inside ? y : Double.NaN;
            }
            c.guide(gx, gy);
        }
        for (Run r : runs) {
            c.series(r.name, r.x, r.y);
        }
        return new Figure("optimizer-paths.png", "Optimizer paths", "Paths of SGD, momentum, Adam and AdamW on x^2/20 + y^2",
                c.render(960, 560));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
