package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omomi.data.Csv;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * Issue 16's competing structure: business segments in 2 features, a stronger unrelated grouping
 * in 6 others. Plain k-means finds the wrong one; a metric learned from 20% of the customers finds
 * the segments on the other 80%.
 */
class CompetingStructureTest {

    static Customers customers;
    static Tensor scaled;
    static int[] truth;
    static int[] learn;
    static int[] heldOut;

    @BeforeAll
    static void generate() {
        Csv.Table table = Synthetic.customers(2000, new Rng(16));
        Schema schema = Schema.fit(table, null, Set.of(Synthetic.SEGMENT_COLUMN), Set.of());
        customers = schema.encode(table);
        scaled = Scaling.fit(Scaling.Kind.STANDARD, customers.values(), schema.indicators(), customers.features())
                .apply(customers.values(), customers.features());
        int col = table.column(Synthetic.SEGMENT_COLUMN);
        truth = table.rows().stream().mapToInt(r -> Synthetic.SEGMENTS.indexOf(r[col])).toArray();
        int[] perm = new Rng(7).permutation(2000);
        learn = Arrays.copyOf(perm, 400);
        heldOut = Arrays.copyOfRange(perm, 400, 2000);
    }

    static double heldOutAri(Metric m) {
        Clustering c = KMeans.fit(m.embed(scaled), KMeans.Options.of(4), new Rng(3));
        return Agreement.adjustedRandIndex(pick(truth, heldOut), pick(c.labels(), heldOut));
    }

    static double businessShare(Metric m) {
        double[] w = m.featureWeights(scaled);
        List<String> f = customers.features();
        return w[f.indexOf("visits_per_month")] + w[f.indexOf("basket_value")];
    }

    static int[] pick(int[] v, int[] rows) {
        return Arrays.stream(rows).map(i -> v[i]).toArray();
    }

    @Test
    void plainAndStandardisedKMeansFindTheChannels() {
        double raw = Agreement.adjustedRandIndex(truth, KMeans.fit(customers.values(), KMeans.Options.of(4), new Rng(1)).labels());
        double std = Agreement.adjustedRandIndex(truth, KMeans.fit(scaled, KMeans.Options.of(4), new Rng(1)).labels());
        System.out.printf("plain ARI %.4f, standardised ARI %.4f%n", raw, std);
        assertTrue(raw <= 0.05, "plain " + raw);
        assertTrue(std <= 0.05, "standardised " + std);
    }

    @Test
    void ncaFromTwentyPercentFindsTheSegments() {
        Metric m = MetricLearning.nca(scaled.indexSelect(0, learn), pick(truth, learn), false, MetricLearning.Options.nca(), new Rng(5));
        double ari = heldOutAri(m);
        double share = businessShare(m);
        System.out.printf("nca: held-out ARI %.4f, business weight %.4f%n", ari, share);
        assertTrue(ari >= 0.95, "ARI " + ari);
        assertTrue(share >= 0.90, "share " + share);
    }

    @Test
    void tripletFromTwentyPercentFindsTheSegments() {
        Metric m = MetricLearning.triplet(scaled.indexSelect(0, learn), pick(truth, learn), MetricLearning.Options.triplet(), new Rng(5));
        double ari = heldOutAri(m);
        double share = businessShare(m);
        System.out.printf("triplet: held-out ARI %.4f, business weight %.4f%n", ari, share);
        assertTrue(ari >= 0.95, "ARI " + ari);
        assertTrue(share >= 0.90, "share " + share);
    }

    @Test
    void pairsAsSupervision() {
        Rng r = new Rng(11);
        int n = 300;
        int[] a = new int[n];
        int[] b = new int[n];
        boolean[] must = new boolean[n];
        for (int i = 0; i < n; i++) {
            a[i] = learn[r.nextInt(learn.length)];
            do {
                b[i] = learn[r.nextInt(learn.length)];
            } while (b[i] == a[i]);
            must[i] = truth[a[i]] == truth[b[i]];
        }
        MetricLearning.Pairs pairs = new MetricLearning.Pairs(a, b, must);
        Metric m = MetricLearning.contrastive(Metric.linear(scaled.size(1)), scaled, pairs, MetricLearning.Options.contrastive(), new Rng(5));
        double ari = heldOutAri(m);
        double share = businessShare(m);
        System.out.printf("pairs: held-out ARI %.4f, business weight %.4f%n", ari, share);
        assertTrue(ari >= 0.95, "ARI " + ari);
        assertTrue(share >= 0.90, "share " + share);
    }
}
