package org.omomi.ctr;

/**
 * Which rows of a log are held out and which training rows are kept, decided row by row from the
 * seed and the row's line number alone — so every pass over the file (learning the features,
 * each epoch, the held-out metrics, explanations) agrees without storing a list, and skipping a
 * malformed row moves no other row.
 *
 * <ul>
 * <li>held out: u₁(line) &lt; {@code holdout} (default 0.1);</li>
 * <li>negative down-sampling: a training row with label 0 is kept when u₂(line) &lt;
 *     {@code negativeRate} (1 keeps all); positives are always kept. The model is trained so that
 *     its probabilities are those of the full log (see {@link ClickObjective}).</li>
 * </ul>
 * u₁, u₂ are independent uniform numbers in [0, 1) from a SplitMix64 hash of (seed, line, stream).
 */
public record Split(long seed, double holdout, double negativeRate) {

    public Split {
        if (!(holdout >= 0 && holdout < 1)) {
            throw new IllegalArgumentException("the held-out fraction must be in [0, 1), got " + holdout);
        }
        if (!(negativeRate > 0 && negativeRate <= 1)) {
            throw new IllegalArgumentException("the negative sampling rate must be in (0, 1], got " + negativeRate);
        }
    }

    /** Whether the row on {@code line} is held out. */
    public boolean heldOut(int line) {
        return unit(seed, line, 1) < holdout;
    }

    /** Whether a training row is kept by negative down-sampling. */
    public boolean kept(int line, float label) {
        return label == 1f || negativeRate >= 1 || unit(seed, line, 2) < negativeRate;
    }

    /** A uniform number in [0, 1) for (seed, line, stream): SplitMix64's finalizer of their mix. */
    static double unit(long seed, long line, int stream) {
        long z = seed * 0x9e3779b97f4a7c15L + line * 0xbf58476d1ce4e5b9L + stream * 0x94d049bb133111ebL;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
