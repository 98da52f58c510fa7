package org.omomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.io.Json;
import org.omomi.io.Safetensors;
import org.omomi.nn.LayerSpec.DenseSpec;
import org.omomi.nn.LayerSpec.EmbeddingSpec;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Model files: every layer kind round-trips through JSON; old files load; graphs check their wiring. */
class ModelSpecTest {

    @TempDir
    Path dir;

    /** One JSON example of every registered layer type. */
    static Stream<String> everyLayer() {
        return Stream.of(
                "{\"type\":\"dense\",\"in\":3,\"out\":4,\"bias\":false,\"init\":\"he\"}",
                "{\"type\":\"conv2d\",\"in\":1,\"out\":2,\"kernel\":3,\"stride\":1,\"padding\":1,\"bias\":true}",
                "{\"type\":\"maxpool2d\",\"kernel\":2,\"stride\":2}",
                "{\"type\":\"avgpool2d\",\"kernel\":2,\"stride\":1}",
                "{\"type\":\"global_avg_pool\"}",
                "{\"type\":\"batchnorm1d\",\"features\":4}",
                "{\"type\":\"batchnorm2d\",\"features\":4}",
                "{\"type\":\"layernorm\",\"features\":4}",
                "{\"type\":\"basic_block\",\"in\":4,\"out\":8,\"stride\":2,\"residual\":true}",
                "{\"type\":\"embedding\",\"count\":10,\"dim\":3,\"sparse\":true,\"std\":0.01}",
                "{\"type\":\"bias\",\"features\":2}",
                "{\"type\":\"flatten\"}",
                "{\"type\":\"unflatten\",\"shape\":[1,2,2]}",
                "{\"type\":\"dropout\",\"p\":0.25}",
                "{\"type\":\"dropout2d\",\"p\":0.1}",
                "{\"type\":\"relu\"}", "{\"type\":\"sigmoid\"}", "{\"type\":\"tanh\"}", "{\"type\":\"gelu\"}", "{\"type\":\"softplus\"}",
                "{\"type\":\"leaky_relu\",\"slope\":0.2}", "{\"type\":\"elu\",\"alpha\":0.5}",
                "{\"type\":\"sequential\",\"layers\":[{\"type\":\"dense\",\"in\":2,\"out\":2,\"bias\":true},{\"type\":\"relu\"}]}",
                "{\"type\":\"concat\",\"axis\":1}", "{\"type\":\"add\"}", "{\"type\":\"multiply\"}", "{\"type\":\"dot\"}",
                "{\"type\":\"sum\",\"axis\":1}", "{\"type\":\"pairwise_interactions\"}");
    }

    @Test
    void theExamplesCoverEveryRegisteredType() {
        List<String> covered = everyLayer().map(j -> LayerTypes.parse(Json.parse(j)).type()).toList();
        for (String type : LayerTypes.names()) {
            assertTrue(covered.contains(type), "no round-trip example for layer type " + type);
        }
    }

    @ParameterizedTest
    @MethodSource("everyLayer")
    void everyLayerRoundTripsThroughJsonAndBuilds(String json) {
        LayerSpec spec = LayerTypes.parse(Json.parse(json));
        assertEquals(Json.parse(json), Json.parse(Json.write(spec.toJson())), "JSON written back as read");
        assertEquals(spec, LayerTypes.parse(spec.toJson()), "read back equal");
        Module a = spec.build(new Rng(3));
        Module b = spec.build(new Rng(3));
        a.stateDict().forEach((k, v) -> assertArrayEquals(v.toArray(), b.stateDict().get(k).toArray(), "seeded: " + k));
        if (spec.pytorchModule()) {
            assertTrue(spec.pytorch().startsWith("nn.") || spec.pytorch().startsWith("BasicBlock(")
                    || spec.pytorch().startsWith("Bias("), spec.pytorch());
        } else {
            assertTrue(spec.pytorchCall("self.n", List.of("a", "b")).contains("a"), spec.pytorchCall("self.n", List.of("a", "b")));
        }
    }

    @Test
    void badLayersSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerTypes.parse(Json.parse("{\"type\":\"dense\",\"in\":3}")));
        assertTrue(e.getMessage().contains("needs a number 'out'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerTypes.parse(Json.parse("{\"type\":\"transformer\"}")));
        assertTrue(e.getMessage().contains("unknown layer type 'transformer'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerTypes.parse(Json.parse("{\"type\":\"conv2d\",\"in\":1,\"out\":2,\"kernel\":0}")));
        assertTrue(e.getMessage().contains("'kernel' must be a positive whole number"), e.getMessage());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ModelSpecTest.class.getResourceAsStream("/migration/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Files written by the first format's code (omomi.model/1, committed in test resources with the
     * weights that code built from Rng(42).split()) load, build the same network with the same
     * initial weights, keep their PyTorch twin, and are written back in the current format.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mixed", "mlp"})
    @SuppressWarnings("unchecked")
    void firstFormatFilesStillLoad(String name) throws IOException {
        Map<String, Object> old = (Map<String, Object>) Json.parse(resource(name + ".model.json"));
        assertEquals("omomi.model/1", old.get("format"));
        ModelSpec spec = ModelSpec.fromJson(old);
        assertEquals(old.get("pytorch"), spec.pytorch(), "the same PyTorch twin");
        assertEquals(((Number) old.get("inputs")).intValue(), spec.inputWidth());
        Path w = dir.resolve(name + ".safetensors");
        try (InputStream in = ModelSpecTest.class.getResourceAsStream("/migration/" + name + ".safetensors")) {
            Files.write(w, in.readAllBytes());
        }
        Map<String, Tensor> then = Safetensors.read(w).tensors();
        Map<String, Tensor> now = spec.build(new Rng(42).split()).stateDict();
        assertEquals(then.keySet(), now.keySet(), "state-dict keys");
        then.forEach((k, v) -> assertArrayEquals(v.toArray(), now.get(k).toArray(), "initial weights of " + k + ", bit for bit"));
        Map<String, Object> v2 = spec.toJson();
        assertEquals(ModelSpec.FORMAT, v2.get("format"));
        assertEquals(spec, ModelSpec.fromJson((Map<String, Object>) Json.parse(Json.write(v2))), "the current format reads back equal");
        assertEquals(spec.layers(), LayerTypes.parseAll((List<?>) old.get("layers")), "the same layers");
    }

    @Test
    void graphsCheckTheirWiring() {
        List<ModelSpec.InputSpec> in = List.of(ModelSpec.InputSpec.ids("user", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.graph("g", in, 1,
                List.of(new ModelSpec.NodeSpec("v", new EmbeddingSpec(5, 2, false, 1), "item")), "v"));
        assertTrue(e.getMessage().contains("reads 'item', which is not an input or an earlier node"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.graph("g", in, 1,
                List.of(new ModelSpec.NodeSpec("v", new EmbeddingSpec(5, 2, false, 1), "user")), "w"));
        assertTrue(e.getMessage().contains("'output' must name a node"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ModelSpec.NodeSpec("d", new LayerSpec.DotSpec(), "user"));
        assertTrue(e.getMessage().contains("joins two or more inputs"), e.getMessage());
    }

    /** A factorization machine's pieces on one shared id table: fields [N, 3] → [N, 3, k] → Σ pairwise dots, against a direct sum. */
    @Test
    void pairwiseInteractionsAreTheSumOfEveryPairsDotProduct() {
        ModelSpec fm = ModelSpec.graph("fm", List.of(ModelSpec.InputSpec.ids("fields", 3)), 1, List.of(
                new ModelSpec.NodeSpec("v", new EmbeddingSpec(20, 4, false, 1), "fields"),
                new ModelSpec.NodeSpec("pairs", new LayerSpec.PairwiseInteractionsSpec(), "v")), "pairs");
        Module m = fm.build(new Rng(5));
        IntTensor ids = IntTensor.of(new int[] {1, 7, 19, 0, 0, 3}, 2, 3);
        float[] out = m.call(Inputs.of("fields", ids)).toArray();
        float[] table = m.stateDict().get("v.weight").toArray();
        int[] flat = ids.toArray();
        for (int row = 0; row < 2; row++) {
            double direct = 0;
            for (int i = 0; i < 3; i++) {
                for (int j = i + 1; j < 3; j++) {
                    for (int k = 0; k < 4; k++) {
                        direct += (double) table[flat[row * 3 + i] * 4 + k] * table[flat[row * 3 + j] * 4 + k];
                    }
                }
            }
            assertEquals(direct, out[row], 1e-5, "row " + row);
        }
    }

    @Test
    void imageSizesComeFromTheData() {
        ModelSpec small = ModelSpec.cnn(new int[] {3, 12, 16}, 5);
        assertEquals(3 * 12 * 16, small.inputWidth());
        assertTrue(small.layers().contains(new DenseSpec(64 * 3 * 4, 128)), "flattened width 64·(12/4)·(16/4)");
        Module m = small.build(new Rng(1));
        assertArrayEquals(new int[] {2, 5}, m.call(Tensor.zeros(2, 3 * 12 * 16)).shape());
        Module r = ModelSpec.resnet(8, 4, new int[] {1, 10, 10}, 3, true).build(new Rng(1));
        assertArrayEquals(new int[] {2, 3}, r.call(Tensor.zeros(2, 100)).shape());
    }
}
