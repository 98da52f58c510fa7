package org.omomi.segment;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * k-means: k centres that minimise the inertia Σᵢ ‖xᵢ − c(xᵢ)‖², found by Lloyd's iterations
 * from k-means++ starts, the best of several seeded restarts kept.
 *
 * <ul>
 * <li><b>k-means++</b> (Arthur and Vassilvitskii 2007), greedy as in scikit-learn: the first centre
 *     is a uniformly random row; each next one is the best, by the inertia it leaves, of
 *     2 + ⌊ln k⌋ rows drawn with probability ∝ D(x)², the squared distance to the nearest centre
 *     chosen so far.</li>
 * <li><b>Lloyd's iteration</b> (Lloyd 1982): one pass assigns every row to its nearest centre
 *     (ties to the lowest index) and sums the rows of each cluster; the centres become the means.
 *     It stops when a pass changes no label (then the centres are their members' means and every
 *     row is nearest its own centre), or after {@code maxIterations} passes, followed then by one
 *     assignment pass so labels and distances match the returned centres. A cluster left empty
 *     gets the row farthest from its centre, as scikit-learn does.</li>
 * <li><b>Arithmetic.</b> Squared distances are summed in float, feature by feature, with fused
 *     multiply-adds; rows are summed into their centres in float within tiles of {@value #TILE}
 *     rows and in double across tiles. Tables of {@value #VECTOR_ROWS} rows or more use a Vector
 *     API kernel (one row per lane) where the JVM has the module; it does the same arithmetic in
 *     the same order, so it gives the scalar kernel's bits.</li>
 * <li><b>Determinism.</b> Rows are processed in blocks of {@value #BLOCK}, handed to the threads
 *     as they come free; each block sums in double and the blocks are added in order, so the
 *     result is the same bit for bit for any thread count.</li>
 * </ul>
 * Defaults: 10 restarts, at most 300 iterations (scikit-learn's before version 1.4).
 */
public final class KMeans {

    /** Rows per block: the unit of parallel work and of the ordered sums. */
    static final int BLOCK = 4096;

    /**
     * @param k             clusters, at least 1
     * @param restarts      k-means++ starts, each run to convergence; the lowest inertia wins
     * @param maxIterations most assignment passes per start
     */
    public record Options(int k, int restarts, int maxIterations) {
        public Options {
            if (k < 1 || restarts < 1 || maxIterations < 1) {
                throw new IllegalArgumentException("k-means: k, restarts and maxIterations must be at least 1, got k=" + k
                        + ", restarts=" + restarts + ", maxIterations=" + maxIterations);
            }
        }

        /** k clusters, 10 restarts, at most 300 iterations. */
        public static Options of(int k) {
            return new Options(k, 10, 300);
        }

        public Options withRestarts(int r) {
            return new Options(k, r, maxIterations);
        }

        public Options withMaxIterations(int m) {
            return new Options(k, restarts, m);
        }
    }

    private KMeans() {}

    /** The best of {@code restarts} k-means++ starts on x [n, d], each from its own split of rng. */
    public static Clustering fit(Tensor x, Options options, Rng rng) {
        Points p = Points.of(x);
        Clustering best = null;
        for (int r = 0; r < options.restarts(); r++) {
            Rng start = rng.split();
            Clustering c = lloyd(p, plusPlus(p, options.k(), start), options.maxIterations());
            if (best == null || c.inertia() < best.inertia()) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Mini-batch k-means (Sculley 2010) for tables too large for Lloyd's full passes: centres from
     * the best (by inertia on the sample) of {@code restarts} k-means++ starts on a seeded sample of
     * min(n, max(3·batch, 10k)) rows, then {@code steps} steps that each draw {@code batch} rows
     * (with replacement), assign them to their nearest centres, and move each centre toward each
     * of its rows by 1/(rows it has received so far). Labels, distances and inertia come from one
     * final pass over all rows.
     */
    public static Clustering miniBatch(Tensor x, Options options, int batch, int steps, Rng rng) {
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("mini-batch k-means: batch and steps must be at least 1, got " + batch + " and " + steps);
        }
        Points p = Points.of(x);
        int n = p.n;
        int d = p.d;
        int k = options.k();
        int m = Math.min(n, Math.max(3 * batch, 10_000));
        int[] sample = java.util.Arrays.copyOf(rng.split().permutation(n), m);
        java.util.Arrays.sort(sample);
        float[] sx = new float[m * d];
        for (int i = 0; i < m; i++) {
            System.arraycopy(p.x, sample[i] * d, sx, i * d, d);
        }
        Points sp = new Points(sx, m, d);
        float[] centres = null;
        double bestInertia = Double.POSITIVE_INFINITY;
        for (int r = 0; r < options.restarts(); r++) {
            float[] c = plusPlus(sp, k, rng.split());
            int[] lab = new int[m];
            float[] dist = new float[m];
            pass(sp, c, k, lab, dist, null, null);
            double inertia = 0;
            for (float v : dist) {
                inertia += v;
            }
            if (inertia < bestInertia) {
                bestInertia = inertia;
                centres = c;
            }
        }
        long[] seen = new long[k];
        Rng draw = rng.split();
        int[] rows = new int[batch];
        int[] lab = new int[batch];
        float[] dist = new float[batch];
        float[] bx = new float[batch * d];
        for (int step = 0; step < steps; step++) {
            for (int b = 0; b < batch; b++) {
                rows[b] = draw.nextInt(n);
                System.arraycopy(p.x, rows[b] * d, bx, b * d, d);
            }
            java.util.Arrays.fill(lab, -1);
            pass(new Points(bx, batch, d), centres, k, lab, dist, null, null);
            for (int b = 0; b < batch; b++) {
                int c = lab[b];
                seen[c]++;
                float eta = (float) (1.0 / seen[c]);
                for (int j = 0; j < d; j++) {
                    centres[c * d + j] += eta * (bx[b * d + j] - centres[c * d + j]);
                }
            }
        }
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, -1);
        pass(p, centres, k, labels, new float[n], null, null);
        double[] distances = new double[n];
        double inertia = exactDistances(p, centres, labels, distances);
        return new Clustering(Tensor.wrap(centres, k, d), labels, distances, inertia, steps, false);
    }

    /** k-means++ centres [k, d] for x [n, d]; errors when k exceeds the rows, or the distinct rows. */
    public static Tensor plusPlus(Tensor x, int k, Rng rng) {
        return Tensor.wrap(plusPlus(Points.of(x), k, rng), k, x.size(1));
    }

    /** Lloyd's iterations on x [n, d] from the given centres [k, d]. */
    public static Clustering lloyd(Tensor x, Tensor initial, int maxIterations) {
        Points p = Points.of(x);
        if (initial.dim() != 2 || initial.size(1) != p.d) {
            throw new IllegalArgumentException("lloyd: centres " + Arrays.toString(initial.shape()) + " for points with " + p.d + " features");
        }
        Clustering c = lloyd(p, initial.toArray(), maxIterations);
        if (!Double.isFinite(c.inertia())) {
            p.requireFinite();
            throw new IllegalArgumentException("lloyd: the centres must be finite");
        }
        return c;
    }

    /** The nearest centre [k, d] of each row of x [n, d] (ties to the lowest index). */
    public static int[] nearest(Tensor x, Tensor centres) {
        Points p = Points.of(x);
        if (centres.dim() != 2 || centres.size(1) != p.d) {
            throw new IllegalArgumentException("nearest: centres " + Arrays.toString(centres.shape()) + " for points with " + p.d + " features");
        }
        int[] labels = new int[p.n];
        Arrays.fill(labels, -1);
        pass(p, centres.toArray(), centres.size(0), labels, new float[p.n], null, null);
        return labels;
    }

    // ------------------------------------------------------------------ k-means++

    static float[] plusPlus(Points p, int k, Rng rng) {
        int[] rows = plusPlusRows(p, k, rng);
        float[] centres = new float[k * p.d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(p.x, rows[c] * p.d, centres, c * p.d, p.d);
        }
        return centres;
    }

    /** The rows k-means++ picks as centres. */
    static int[] plusPlusRows(Points p, int k, Rng rng) {
        int n = p.n;
        int d = p.d;
        if (k > n) {
            throw new IllegalArgumentException("k = " + k + " is more than the " + n + " rows of the data");
        }
        int[] picked = new int[k];
        int first = rng.nextInt(n);
        picked[0] = first;
        double[] closest = new double[n];
        double potential = distancesTo(p, p.x, first * d, closest, null);
        if (!Double.isFinite(potential)) {
            p.requireFinite();
        }
        int trials = 2 + (int) Math.log(k);
        double[] candidate = new double[n];
        double[] bestCandidate = new double[n];
        double[] cumulative = new double[n];
        for (int c = 1; c < k; c++) {
            if (potential <= 0) {
                throw new IllegalArgumentException("k = " + k + " is more than the " + distinctRows(p) + " distinct rows of the data");
            }
            double run = 0;
            for (int i = 0; i < n; i++) {
                run += closest[i];
                cumulative[i] = run;
            }
            int chosen = -1;
            double chosenPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double u = rng.nextDouble() * run;
                int row = firstAbove(cumulative, u);
                while (closest[row] == 0 && row > 0) {
                    row--; // only by rounding at the very end; step back to a row that can be drawn
                }
                double pot = distancesTo(p, p.x, row * d, candidate, closest);
                if (pot < chosenPotential) {
                    chosenPotential = pot;
                    chosen = row;
                    double[] swap = bestCandidate;
                    bestCandidate = candidate;
                    candidate = swap;
                }
            }
            picked[c] = chosen;
            System.arraycopy(bestCandidate, 0, closest, 0, n);
            potential = chosenPotential;
        }
        return picked;
    }

    /** The first index whose running sum exceeds u (the last index if rounding leaves none). */
    private static int firstAbove(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Squared distances from every row to the centre at {@code c[offset …]}, into {@code out}
     * (taking the minimum with {@code previous} when given); returns their sum, added block by block.
     */
    private static double distancesTo(Points p, float[] c, int offset, double[] out, double[] previous) {
        int d = p.d;
        int blocks = (p.n + BLOCK - 1) / BLOCK;
        double[] partial = new double[blocks];
        forEachBlock(blocks, b -> {
            double s = 0;
            for (int i = b * BLOCK, end = Math.min(p.n, i + BLOCK); i < end; i++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double a = p.x[i * d + j] - c[offset + j];
                    dist += a * a;
                }
                if (previous != null && previous[i] < dist) {
                    dist = previous[i];
                }
                out[i] = dist;
                s += dist;
            }
            partial[b] = s;
        });
        double total = 0;
        for (double s : partial) {
            total += s;
        }
        return total;
    }

    static int distinctRows(Points p) {
        Set<FloatRow> seen = new HashSet<>();
        for (int i = 0; i < p.n; i++) {
            seen.add(new FloatRow(Arrays.copyOfRange(p.x, i * p.d, (i + 1) * p.d)));
        }
        return seen.size();
    }

    private record FloatRow(float[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof FloatRow r && Arrays.equals(v, r.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }

    // ------------------------------------------------------------------ Lloyd

    static Clustering lloyd(Points p, float[] centres, int maxIterations) {
        int n = p.n;
        int d = p.d;
        int k = centres.length / d;
        centres = centres.clone();
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        float[] best = new float[n];
        double[] sums = new double[k * d];
        long[] counts = new long[k];
        int iterations = 0;
        boolean converged = false;
        while (iterations < maxIterations) {
            int changed = pass(p, centres, k, labels, best, sums, counts);
            iterations++;
            changed += relocateEmpty(p, labels, best, sums, counts);
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    centres[c * d + j] = (float) (sums[c * d + j] / counts[c]);
                }
            }
            if (changed == 0) {
                converged = true;
                break;
            }
        }
        if (!converged) {
            pass(p, centres, k, labels, best, null, null); // labels and distances for the returned centres
        }
        double[] distances = new double[n];
        double inertia = exactDistances(p, centres, labels, distances);
        return new Clustering(Tensor.wrap(centres, k, d), labels, distances, inertia, iterations, converged);
    }

    /**
     * Assigns every row to its nearest centre, writing its squared distance to {@code best}; when
     * {@code sums} is given, also adds up each cluster's rows and sizes. Returns how many labels changed.
     */
    static int pass(Points p, float[] centres, int k, int[] labels, float[] best, double[] sums, long[] counts) {
        int d = p.d;
        int n = p.n;
        int blocks = (n + BLOCK - 1) / BLOCK;
        boolean accumulate = sums != null;
        double[][] blockSums = accumulate ? new double[blocks][] : null;
        long[][] blockCounts = accumulate ? new long[blocks][] : null;
        int[] changed = new int[blocks];
        Nearest kernel = kernel(n);
        forEachBlock(blocks, b -> {
            float[] tileBest = new float[TILE];
            int[] tileArg = new int[TILE];
            float[] tileSums = accumulate ? new float[k * d] : null;
            double[] s = accumulate ? new double[k * d] : null;
            long[] cnt = accumulate ? new long[k] : null;
            int ch = 0;
            int blockEnd = Math.min(n, (b + 1) * BLOCK);
            for (int t0 = b * BLOCK; t0 < blockEnd; t0 += TILE) {
                int m = Math.min(TILE, blockEnd - t0);
                if (accumulate) {
                    Arrays.fill(tileSums, 0f);
                }
                kernel.nearest(p, t0, m, centres, k, tileBest, tileArg, tileSums, cnt);
                for (int t = 0; t < m; t++) {
                    int i = t0 + t;
                    best[i] = tileBest[t];
                    if (tileArg[t] != labels[i]) {
                        labels[i] = tileArg[t];
                        ch++;
                    }
                }
                if (accumulate) {
                    // Rows are summed in float within a tile (one vector add per row in the
                    // vector kernel), the tiles in double: no float sum has more than 256 terms.
                    for (int j = 0; j < tileSums.length; j++) {
                        s[j] += tileSums[j];
                    }
                }
            }
            changed[b] = ch;
            if (accumulate) {
                blockSums[b] = s;
                blockCounts[b] = cnt;
            }
        });
        int total = 0;
        for (int c : changed) {
            total += c;
        }
        if (accumulate) {
            Arrays.fill(sums, 0);
            Arrays.fill(counts, 0);
            for (int b = 0; b < blocks; b++) {
                for (int j = 0; j < sums.length; j++) {
                    sums[j] += blockSums[b][j];
                }
                for (int c = 0; c < k; c++) {
                    counts[c] += blockCounts[b][c];
                }
            }
        }
        return total;
    }

    /**
     * Finds the nearest centre of each of m consecutive rows of p, from row {@code first}, for
     * centres c [k, d]: its squared distance into {@code best[t]}, the centre into {@code arg[t]}
     * (ties to the lowest index); when {@code sums} is given, adds each row, in float and in row
     * order, to {@code sums[arg·d …]} and counts it. Every kernel sums
     * Math.fma(xⱼ − cⱼ, xⱼ − cⱼ, ·) over the features in order, in float, and adds the rows the same
     * way, so all give the same bits.
     */
    interface Nearest {
        void nearest(Points p, int first, int m, float[] c, int k, float[] best, int[] arg, float[] sums, long[] counts);
    }

    /** Rows handed to a {@link Nearest} at a time. */
    static final int TILE = 256;

    /** The scalar kernel: one row at a time, four centres at a time. */
    static final Nearest SCALAR = (p, first, m, c, k, best, arg, sums, counts) -> {
        int d = p.d;
        for (int t = 0; t < m; t++) {
            int off = (first + t) * d;
            int a = nearestCentre(p.x, off, d, c, k, best, t);
            arg[t] = a;
            if (sums != null) {
                int co = a * d;
                for (int j = 0; j < d; j++) {
                    sums[co + j] += p.x[off + j];
                }
                counts[a]++;
            }
        }
    };

    /** The Vector API kernel where the JVM has the module, else null. */
    static final Nearest VECTOR = vectorKernel();

    /** Tables with fewer rows than this use the scalar kernel: the vector one needs the JIT's compilation to pay. */
    static final int VECTOR_ROWS = 16_384;

    private static Nearest vectorKernel() {
        if ("false".equalsIgnoreCase(System.getProperty("omomi.vector", "true"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            Class<?> c = Class.forName("org.omomi.segment.VectorNearest");
            if (!(boolean) c.getDeclaredMethod("usable").invoke(null)) {
                return null;
            }
            return (Nearest) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** The kernel for a table of n rows. */
    static Nearest kernel(int n) {
        return VECTOR != null && n >= VECTOR_ROWS ? VECTOR : SCALAR;
    }

    /**
     * The index of the centre nearest row {@code x[off …]}, its squared distance stored in
     * {@code best[i]}. Four centres at a time, so four independent sums keep the core busy.
     */
    private static int nearestCentre(float[] x, int off, int d, float[] c, int k, float[] best, int i) {
        float min = Float.POSITIVE_INFINITY;
        int arg = 0;
        int j = 0;
        for (; j + 3 < k; j += 4) {
            int c0 = j * d;
            int c1 = c0 + d;
            int c2 = c1 + d;
            int c3 = c2 + d;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int t = 0; t < d; t++) {
                float v = x[off + t];
                float a0 = v - c[c0 + t];
                float a1 = v - c[c1 + t];
                float a2 = v - c[c2 + t];
                float a3 = v - c[c3 + t];
                s0 = Math.fma(a0, a0, s0);
                s1 = Math.fma(a1, a1, s1);
                s2 = Math.fma(a2, a2, s2);
                s3 = Math.fma(a3, a3, s3);
            }
            if (s0 < min) {
                min = s0;
                arg = j;
            }
            if (s1 < min) {
                min = s1;
                arg = j + 1;
            }
            if (s2 < min) {
                min = s2;
                arg = j + 2;
            }
            if (s3 < min) {
                min = s3;
                arg = j + 3;
            }
        }
        for (; j < k; j++) {
            int c0 = j * d;
            float s0 = 0;
            for (int t = 0; t < d; t++) {
                float a0 = x[off + t] - c[c0 + t];
                s0 = Math.fma(a0, a0, s0);
            }
            if (s0 < min) {
                min = s0;
                arg = j;
            }
        }
        best[i] = min;
        return arg;
    }

    /** Gives each empty cluster the row farthest from its own centre, moving that row's sums along. */
    private static int relocateEmpty(Points p, int[] labels, float[] best, double[] sums, long[] counts) {
        int d = p.d;
        int moved = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                continue;
            }
            int far = -1;
            for (int i = 0; i < p.n; i++) {
                if (counts[labels[i]] > 1 && (far < 0 || best[i] > best[far])) {
                    far = i;
                }
            }
            if (far < 0) {
                throw new IllegalArgumentException("k = " + counts.length + " is more than the rows of the data can fill");
            }
            int old = labels[far];
            for (int j = 0; j < d; j++) {
                double v = p.x[far * d + j];
                sums[old * d + j] -= v;
                sums[c * d + j] = v;
            }
            counts[old]--;
            counts[c] = 1;
            labels[far] = c;
            best[far] = 0;
            moved++;
        }
        return moved;
    }

    /** Each row's distance to its own centre in double, into {@code out}; returns Σ distance². */
    static double exactDistances(Points p, float[] centres, int[] labels, double[] out) {
        int d = p.d;
        int blocks = (p.n + BLOCK - 1) / BLOCK;
        double[] partial = new double[blocks];
        forEachBlock(blocks, b -> {
            double s = 0;
            for (int i = b * BLOCK, end = Math.min(p.n, i + BLOCK); i < end; i++) {
                double dist = 0;
                int co = labels[i] * d;
                for (int j = 0; j < d; j++) {
                    double a = p.x[i * d + j] - centres[co + j];
                    dist += a * a;
                }
                s += dist;
                out[i] = Math.sqrt(dist);
            }
            partial[b] = s;
        });
        double total = 0;
        for (double s : partial) {
            total += s;
        }
        return total;
    }

    /**
     * Runs {@code body} for every block 0 … blocks−1 on the kernel threads, each thread taking the
     * next block when it finishes one, so a thread slowed by other work on the machine does not
     * hold the others up. Every block writes only its own results, so the outcome does not depend
     * on which thread ran which block.
     */
    static void forEachBlock(int blocks, IntConsumer body) {
        AtomicInteger next = new AtomicInteger();
        int threads = Math.max(1, Math.min(Parallel.threads(), blocks));
        Parallel.forRange(threads, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                    body.accept(b);
                }
            }
        });
    }

    /**
     * A row-major float matrix, read without copying when the tensor owns its array, and, made
     * once when a kernel asks for it, a feature-major copy of it.
     */
    static final class Points {
        final float[] x;
        final int n;
        final int d;
        private float[] columns;

        Points(float[] x, int n, int d) {
            this.x = x;
            this.n = n;
            this.d = d;
        }

        float[] x() {
            return x;
        }

        int n() {
            return n;
        }

        int d() {
            return d;
        }

        static Points of(Tensor t) {
            if (t.dim() != 2) {
                throw new IllegalArgumentException("expected points of shape [n, d], got " + Arrays.toString(t.shape()));
            }
            if (t.size(0) == 0 || t.size(1) == 0) {
                throw new IllegalArgumentException("no data: the points have shape " + Arrays.toString(t.shape()));
            }
            return new Points(t.ownsArray() ? t.array() : t.toArray(), t.size(0), t.size(1));
        }

        /** x feature-major: feature j of row i at [j·n + i]. */
        synchronized float[] columns() {
            if (columns == null) {
                float[] c = new float[x.length];
                int blocks = (n + BLOCK - 1) / BLOCK;
                forEachBlock(blocks, b -> {
                    for (int i = b * BLOCK, end = Math.min(n, (b + 1) * BLOCK); i < end; i++) {
                        for (int j = 0; j < d; j++) {
                            c[j * n + i] = x[i * d + j];
                        }
                    }
                });
                columns = c;
            }
            return columns;
        }

        /**
         * Throws, naming the first value that is NaN or infinite; called only once a sum has come
         * out non-finite, so finite data cost no extra pass.
         */
        void requireFinite() {
            for (int i = 0; i < x.length; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new IllegalArgumentException("row " + i / d + ", feature " + i % d + " is " + x[i] + "; k-means needs finite values");
                }
            }
        }
    }
}
