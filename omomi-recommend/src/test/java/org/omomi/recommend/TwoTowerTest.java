package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.kernel.Parallel;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;

/** The neural two-tower model: it learns the planted structure, and its tower outputs are the vectors it scores with. */
class TwoTowerTest {

    @Test
    void theTwoTowerModelBeatsPopularityAndItsVectorsAreItsTowers() throws Exception {
        Parallel.setThreads(1);
        Generated.Setup s = Generated.of(Synthetic.Options.of(600, 300, 13), 0);
        Training.Trained ncf = Training.train(s.data(), s.split(), Training.Options.defaults(ModelKind.NCF).withEpochs(8), null);
        Evaluator ev = new Evaluator(s.data(), s.split(), 10, 3);
        Map<String, Double> m = ev.evaluate(Evaluator.of(ncf.factors()));
        Map<String, Double> pop = ev.evaluate(Evaluator.popularity(s.data(), s.split()));
        System.out.printf(Locale.ROOT, "two-tower: %s%npopularity: %s%n", m, pop);
        assertTrue(m.get("hr@10") >= pop.get("hr@10") + 0.15, m + " vs " + pop);
        assertTrue(m.get("hr@10_sampled") >= pop.get("hr@10_sampled") + 0.2, m + " vs " + pop);
        assertEquals(Map.of(), Map.of(), "");
        int[] users = {3, 99};
        int[] items = {5, 17, 250, 5, 0, 299};
        float[] graph;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            ncf.model().eval();
            graph = ncf.model().call(Inputs.of("user", IntTensor.of(users, 2, 1)).with("item", IntTensor.of(items, 2, 3))).toArray();
        }
        float[] want = new float[6];
        for (int u = 0; u < 2; u++) {
            float[] sc = ncf.factors().scores(users[u]);
            for (int j = 0; j < 3; j++) {
                want[u * 3 + j] = sc[items[u * 3 + j]];
            }
        }
        assertArrayEquals(want, graph, 1e-4f, "⟨user tower, item tower⟩ + item bias is the graph's score");
    }
}
