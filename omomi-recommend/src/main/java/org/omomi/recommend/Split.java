package org.omomi.recommend;

import java.util.Arrays;
import org.omomi.tensor.Rng;

/**
 * Which interactions train, which validate and which test, by position in an {@link Interactions}.
 *
 * <p><b>Leave-one-out by time</b> (the protocol of the NCF paper, He et al. 2017, and of most
 * sequential evaluations): each user's latest {@code holdout} interactions are the test set, the
 * one before them validation (for early stopping, when asked), the rest training. Without
 * timestamps the held-out ones are drawn at random, from a generator of the seed and the user
 * alone. Users with too few interactions to hold one out keep them all for training: they are
 * learned from but not scored.
 *
 * @param labels per interaction: {@link #TRAIN}, {@link #VALIDATION} or {@link #TEST}
 */
public record Split(byte[] labels, String protocol) {

    public static final byte TRAIN = 0;
    public static final byte VALIDATION = 1;
    public static final byte TEST = 2;

    /** Leave-one-out (or leave-{@code holdout}-out) per user, by time when the data has timestamps, else at random. */
    public static Split leaveOneOut(Interactions data, int holdout, boolean validation, long seed) {
        if (holdout < 1) {
            throw new IllegalArgumentException("hold out at least one interaction per user, got " + holdout);
        }
        byte[] labels = new byte[data.size()];
        int[][] byUser = data.byUser();
        for (int u = 0; u < byUser.length; u++) {
            int[] rows = byUser[u];
            if (!data.hasTimestamps()) {
                rows = rows.clone();
                new Rng(mix(seed, u)).shuffle(rows);
            }
            int n = rows.length;
            if (n < holdout + 1) {
                continue;
            }
            for (int k = n - holdout; k < n; k++) {
                labels[rows[k]] = TEST;
            }
            if (validation && n >= holdout + 2) {
                labels[rows[n - holdout - 1]] = VALIDATION;
            }
        }
        String how = data.hasTimestamps() ? "by time" : "at random (no timestamps)";
        return new Split(labels, "leave-" + (holdout == 1 ? "one" : Integer.toString(holdout)) + "-out " + how
                + (validation ? ", the one before for validation" : ""));
    }

    /** A split given as labels (a run folder's), checked. */
    public static Split of(byte[] labels, String protocol) {
        for (int k = 0; k < labels.length; k++) {
            if (labels[k] < TRAIN || labels[k] > TEST) {
                throw new IllegalArgumentException("split label " + labels[k] + " at interaction " + k);
            }
        }
        return new Split(labels.clone(), protocol);
    }

    /** Positions labelled {@code label}, in order. */
    public int[] rows(byte label) {
        int n = 0;
        for (byte b : labels) {
            if (b == label) {
                n++;
            }
        }
        int[] out = new int[n];
        int j = 0;
        for (int k = 0; k < labels.length; k++) {
            if (labels[k] == label) {
                out[j++] = k;
            }
        }
        return out;
    }

    public int[] train() {
        return rows(TRAIN);
    }

    public int[] validation() {
        return rows(VALIDATION);
    }

    public int[] test() {
        return rows(TEST);
    }

    public byte label(int k) {
        return labels[k];
    }

    /** The label's name in files: train, validation or test. */
    public static String name(byte label) {
        return label == TRAIN ? "train" : label == VALIDATION ? "validation" : "test";
    }

    /** Reads {@link #name}. */
    public static byte parse(String name) {
        switch (name) {
            case "train": return TRAIN;
            case "validation": return VALIDATION;
            case "test": return TEST;
            default: throw new IllegalArgumentException("unknown split '" + name + "'; use train, validation or test");
        }
    }

    /** A generator's seed from the split's seed and a user: each user's draw is independent of every other. */
    static long mix(long seed, long u) {
        long z = seed * 0x9e3779b97f4a7c15L + (u + 1) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && Arrays.equals(labels, s.labels) && protocol.equals(s.protocol);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(labels) * 31 + protocol.hashCode();
    }

    @Override
    public String toString() {
        return "Split[" + protocol + ": " + train().length + " train, " + validation().length + " validation, " + test().length + " test]";
    }
}
