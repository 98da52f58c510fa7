package org.omomi.tensor;

/**
 * A seeded, splittable pseudo-random generator: every random number in omomi comes from one of
 * these, passed in explicitly; nothing reads a global generator.
 *
 * <p>The algorithm is SplitMix64 with per-generator gammas (Steele, Lea and Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014), the one behind
 * {@link java.util.SplittableRandom}, written out here so its output never depends on the JDK
 * version. {@link #split()} derives an independent generator, so a run can hand one to data
 * shuffling, one to initialization and one to dropout, and adding a consumer to one stream does not
 * shift the others. Floating-point transforms use {@link StrictMath}, so the same seed gives the
 * same bits on every JVM.
 */
public final class Rng {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private final long gamma;

    /** A generator whose whole output is fixed by {@code seed}. */
    public Rng(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private Rng(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /** Restores a generator from {@link #state()}. */
    public static Rng fromState(long[] state) {
        if (state.length != 2 || (state[1] & 1L) == 0) {
            throw new IllegalArgumentException("not an Rng state: expected two longs, the second odd");
        }
        return new Rng(state[0], state[1]);
    }

    /** The whole state, two longs, for checkpoints. */
    public long[] state() {
        return new long[] {seed, gamma};
    }

    /** A new generator, statistically independent of this one; advances this one. */
    public Rng split() {
        return new Rng(nextLong(), mixGamma(nextSeed()));
    }

    private long nextSeed() {
        return seed += gamma;
    }

    public long nextLong() {
        return mix64(nextSeed());
    }

    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in {@code [0, bound)}, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        // Lemire's multiply-and-reject: unbiased, usually one multiplication.
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xffffffffL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in {@code [0, 1)} with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal, by the Box–Muller transform (one of the pair is discarded). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log stays finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Shuffles in place (Fisher–Yates). */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** A random permutation of {@code 0 … n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    void fillUniform(float[] out, float lo, float hi) {
        float width = hi - lo;
        for (int i = 0; i < out.length; i++) {
            out[i] = lo + width * nextFloat();
        }
    }

    void fillNormal(float[] out, float mean, float std) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1.0 - nextDouble();
            double u2 = nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            double theta = 2.0 * Math.PI * u2;
            out[i] = (float) (mean + std * r * StrictMath.cos(theta));
            if (i + 1 < out.length) {
                out[i + 1] = (float) (mean + std * r * StrictMath.sin(theta));
            }
        }
    }

    /**
     * Normal(mean, std) restricted to [a, b], by inverting the CDF as
     * {@code torch.nn.init.trunc_normal_} does: u ~ U(Φ(α), Φ(β)), x = mean + std·Φ⁻¹(u), clamped.
     */
    void fillTruncatedNormal(float[] out, float mean, float std, float a, float b) {
        if (!(a < b) || !(std > 0)) {
            throw new IllegalArgumentException("truncatedNormal: need std > 0 and a < b, got std=" + std + " a=" + a + " b=" + b);
        }
        double lo = Special.normalCdf((a - mean) / (double) std);
        double hi = Special.normalCdf((b - mean) / (double) std);
        for (int i = 0; i < out.length; i++) {
            double u = 2 * lo - 1 + (2 * hi - 2 * lo) * nextDouble(); // uniform in (2Φ(α)−1, 2Φ(β)−1)
            double x = mean + std * Math.sqrt(2.0) * Special.erfinv(u);
            out[i] = (float) Math.min(Math.max(x, a), b);
        }
    }

    void fillBernoulli(float[] out, float p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: probability must be in [0, 1], got " + p);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = nextFloat() < p ? 1f : 0f;
        }
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L; // gammas must be odd
        int transitions = Long.bitCount(z ^ (z >>> 1));
        return transitions < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
