package org.omomi.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.InputsDataset;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Adam;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.omomi.train.Trainer;

/**
 * The seams end to end: a two-tower recommender described in a model file (user id → embedding,
 * item id → embedding, dot product, one logit), trained with {@link Trainer}, saved with
 * {@link SavedModel}, opened again, and predicting the same scores bit for bit from 8 threads.
 */
class TwoTowerTest {

    @TempDir
    Path dir;

    static final String MODEL = """
            {"format": "omomi.model/2", "name": "two_tower", "outputs": 1,
             "inputs": [{"name": "user", "kind": "ids", "shape": []}, {"name": "item", "kind": "ids", "shape": []}],
             "nodes": [
               {"name": "user_vec", "from": ["user"], "layer": {"type": "embedding", "count": 40, "dim": 8, "sparse": true, "std": 0.1}},
               {"name": "item_vec", "from": ["item"], "layer": {"type": "embedding", "count": 30, "dim": 8, "sparse": true, "std": 0.1}},
               {"name": "score", "from": ["user_vec", "item_vec"], "layer": {"type": "dot"}}],
             "output": "score"}
            """;

    /** Users like items of their own group (user % 3 == item % 3): a pattern the towers must learn. */
    static InputsDataset interactions(long seed, int n) {
        Rng rng = new Rng(seed);
        int[] users = new int[n];
        int[] items = new int[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            users[i] = rng.nextInt(40);
            items[i] = rng.nextInt(30);
            y[i] = users[i] % 3 == items[i] % 3 ? 1 : 0;
        }
        return new InputsDataset(Inputs.of("user", IntTensor.vector(users)).with("item", IntTensor.vector(items)), Tensor.wrap(y, n));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainSaveOpenAndPredictTheSameScoresFromEightThreads() throws Exception {
        ModelSpec spec = ModelSpec.fromJson((Map<String, Object>) Json.parse(MODEL));
        Module model = spec.build(new Rng(7));
        assertEquals(List.of("user_vec.weight", "item_vec.weight"), new ArrayList<>(model.stateDict().keySet()));
        Adam adam = new Adam(model.parameters(), Adam.Options.adam().withLr(0.05));
        Trainer.Result r = new Trainer(model, Head.binary(), adam, null, Trainer.Options.of(15, 64, 3), null)
                .fit(interactions(1, 2000), interactions(2, 500));
        assertTrue(r.val().get("roc_auc") > 0.95, "the towers learn the groups: " + r.val());

        Path saved = dir.resolve("run");
        SavedModel.of(spec, model, Head.binary(), List.of("0", "1"), null, null).save(saved);
        assertTrue(Files.isRegularFile(saved.resolve("model.safetensors")));
        String pytorch = (String) ((Map<String, Object>) Json.parse(Files.readString(saved.resolve("model.json")))).get("pytorch_definitions");
        assertTrue(pytorch.contains("self.user_vec = nn.Embedding(40, 8, sparse=True)")
                && pytorch.contains("score = (user_vec * item_vec).sum(-1, keepdim=True)"), pytorch);

        InputsDataset probe = interactions(3, 300);
        float[] expected = Trainer.predictAll(model, probe)[0].toArray();
        SavedModel opened = SavedModel.open(saved);
        assertNotNull(opened.head());
        Predictor predictor = opened.predictor();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Callable<float[]> call = () -> {
                    float[] last = null;
                    for (int k = 0; k < 20; k++) { // many calls at once, interleaved
                        last = predictor.predict(probe.inputs()).outputs().toArray();
                    }
                    return last;
                };
                results.add(pool.submit(call));
            }
            for (Future<float[]> f : results) {
                assertArrayEquals(expected, f.get(), "every thread sees the trained scores, bit for bit");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
