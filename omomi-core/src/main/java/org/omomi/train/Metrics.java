package org.omomi.train;

import java.util.Arrays;

/**
 * Evaluation metrics on plain arrays: labels are class indices, scores are probabilities.
 * Precision, recall and F1 of several classes are macro averages (each class counts the same);
 * of two classes, they are those of class 1.
 */
public final class Metrics {

    private Metrics() {}

    /** Fraction of predictions equal to the labels. */
    public static double accuracy(float[] predicted, float[] labels) {
        check(predicted.length, labels.length);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                right++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) right / labels.length;
    }

    /** Fraction of rows whose label is among the k highest scores ([n, classes] row-major). */
    public static double topK(float[] scores, int classes, float[] labels, int k) {
        check(scores.length, labels.length * classes);
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            float own = scores[i * classes + (int) labels[i]];
            int above = 0;
            for (int c = 0; c < classes; c++) {
                float s = scores[i * classes + c];
                if (s > own || (s == own && c < (int) labels[i])) {
                    above++;
                }
            }
            if (above < k) {
                hits++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) hits / labels.length;
    }

    /** {precision, recall, F1}: of class 1 when there are two classes, else macro averages. */
    public static double[] precisionRecallF1(float[] predicted, float[] labels, int classes) {
        check(predicted.length, labels.length);
        long[] tp = new long[classes];
        long[] fp = new long[classes];
        long[] fn = new long[classes];
        for (int i = 0; i < labels.length; i++) {
            int p = (int) predicted[i];
            int y = (int) labels[i];
            if (p == y) {
                tp[y]++;
            } else {
                fp[p]++;
                fn[y]++;
            }
        }
        int from = classes == 2 ? 1 : 0;
        double sp = 0;
        double sr = 0;
        double sf = 0;
        for (int c = from; c < classes; c++) {
            double precision = tp[c] + fp[c] == 0 ? 0 : (double) tp[c] / (tp[c] + fp[c]);
            double recall = tp[c] + fn[c] == 0 ? 0 : (double) tp[c] / (tp[c] + fn[c]);
            sp += precision;
            sr += recall;
            sf += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        int n = classes - from;
        return new double[] {sp / n, sr / n, sf / n};
    }

    /**
     * Area under the ROC curve of scores for the positive class (label 1): the probability that a
     * random positive scores above a random negative, ties counting half (Mann–Whitney U).
     */
    public static double rocAuc(float[] scores, float[] labels) {
        check(scores.length, labels.length);
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks from 1, ties share their mean rank
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1f) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Mean negative log-probability of the true class; probabilities clipped to [1e-15, 1 − 1e-15]. */
    public static double logLoss(float[] probabilities, int classes, float[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double p;
            if (classes == 1) { // probability of class 1
                p = labels[i] == 1f ? probabilities[i] : 1 - probabilities[i];
            } else {
                p = probabilities[i * classes + (int) labels[i]];
            }
            sum -= Math.log(Math.min(Math.max(p, 1e-15), 1 - 1e-15));
        }
        return labels.length == 0 ? Double.NaN : sum / labels.length;
    }

    public static double meanSquaredError(float[] predicted, float[] actual) {
        check(predicted.length, actual.length);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = (double) predicted[i] - actual[i];
            s += d * d;
        }
        return actual.length == 0 ? Double.NaN : s / actual.length;
    }

    public static double meanAbsoluteError(float[] predicted, float[] actual) {
        check(predicted.length, actual.length);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            s += Math.abs((double) predicted[i] - actual[i]);
        }
        return actual.length == 0 ? Double.NaN : s / actual.length;
    }

    /** Coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)². */
    public static double r2(float[] predicted, float[] actual) {
        check(predicted.length, actual.length);
        double mean = 0;
        for (float v : actual) {
            mean += v;
        }
        mean /= actual.length;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            residual += ((double) actual[i] - predicted[i]) * ((double) actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return total == 0 ? Double.NaN : 1 - residual / total;
    }

    private static void check(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("metrics: " + a + " predictions for " + b + " labels");
        }
    }
}
