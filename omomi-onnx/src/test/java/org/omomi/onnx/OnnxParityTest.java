package org.omomi.onnx;

import static org.omomi.onnx.OnnxRuntimeCheck.assertParity;
import static org.omomi.onnx.OnnxRuntimeCheck.seeded;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.data.Csv;
import org.omomi.data.ImageScaling;
import org.omomi.data.Tabular;
import org.omomi.io.Predictor;
import org.omomi.io.SavedModel;
import org.omomi.loss.MseLoss;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.LayerSpec.ActivationSpec;
import org.omomi.nn.LayerSpec.AddSpec;
import org.omomi.nn.LayerSpec.BatchNormSpec;
import org.omomi.nn.LayerSpec.BiasSpec;
import org.omomi.nn.LayerSpec.ConcatSpec;
import org.omomi.nn.LayerSpec.Conv2dSpec;
import org.omomi.nn.LayerSpec.DenseSpec;
import org.omomi.nn.LayerSpec.DotSpec;
import org.omomi.nn.LayerSpec.DropoutSpec;
import org.omomi.nn.LayerSpec.EmbeddingSpec;
import org.omomi.nn.LayerSpec.FlattenSpec;
import org.omomi.nn.LayerSpec.GlobalAvgPoolSpec;
import org.omomi.nn.LayerSpec.LayerNormSpec;
import org.omomi.nn.LayerSpec.MultiplySpec;
import org.omomi.nn.LayerSpec.PairwiseInteractionsSpec;
import org.omomi.nn.LayerSpec.PoolSpec;
import org.omomi.nn.LayerSpec.SequentialSpec;
import org.omomi.nn.LayerSpec.SumSpec;
import org.omomi.nn.LayerSpec.UnflattenSpec;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.ModelSpec.InputSpec;
import org.omomi.nn.ModelSpec.NodeSpec;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * Export → ONNX Runtime parity: every built-in architecture and graphs of every layer kind the
 * applications use (two towers, a factorization machine, NCF, embeddings through dense layers),
 * each with seeded weights, run by ONNX Runtime and by omomi on the same random inputs at batch
 * sizes 1 and 7: logits and probabilities agree within 1e-5.
 */
class OnnxParityTest {

    private static final int[] IMAGE = {1, 8, 8};

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(ModelSpec.logisticRegression(16, 3), Head.multiclass(3)),
                Arguments.of(ModelSpec.mlp(16, new int[] {12, 8}, "relu", 4), Head.multiclass(4)),
                Arguments.of(ModelSpec.mlp(16, new int[] {12}, "tanh", 1), Head.binary()),
                Arguments.of(ModelSpec.cnn(IMAGE, 5), Head.multiclass(5)),
                Arguments.of(ModelSpec.cnn(new int[] {3, 9, 7}, 2), Head.multiclass(2)),
                Arguments.of(ModelSpec.resnet(8, 4, IMAGE, 3, true), Head.multiclass(3)),
                Arguments.of(ModelSpec.resnet(14, 3, new int[] {2, 12, 12}, 4, true), Head.multiclass(4)),
                Arguments.of(ModelSpec.resnet(8, 4, IMAGE, 3, false), Head.multiclass(3)),
                Arguments.of(everyActivation(), Head.regression(3, new MseLoss())),
                Arguments.of(convolutionKinds(), Head.multiclass(3)),
                Arguments.of(twoTower(), Head.binary()),
                Arguments.of(factorizationMachine(), Head.binary()),
                Arguments.of(neuralCollaborativeFiltering(), Head.binary()),
                Arguments.of(fieldsThroughDenseLayers(), Head.regression(2, new MseLoss())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void onnxRuntimeComputesWhatOmomiComputes(ModelSpec spec, Head head) throws OrtException {
        SavedModel saved = SavedModel.of(spec, seeded(spec, 11), head, List.of(), null, null);
        assertParity(saved, 5, 1f, null);
    }

    /** Softplus's threshold, ELU's and GELU's tails, and saturated sigmoids and tanhs: inputs up to ±60. */
    @ParameterizedTest(name = "scale {0}")
    @MethodSource("scales")
    void activationsAgreeFarIntoTheirTails(float scale) throws OrtException {
        ModelSpec spec = ModelSpec.sequential("tails", 6, 6, List.of(ActivationSpec.of("softplus"), new DenseSpec(6, 6),
                ActivationSpec.of("gelu"), new DenseSpec(6, 6), ActivationSpec.of("elu"), ActivationSpec.of("sigmoid"),
                new DenseSpec(6, 6), ActivationSpec.of("tanh"), ActivationSpec.of("leaky_relu")));
        SavedModel saved = SavedModel.of(spec, seeded(spec, 2), Head.regression(6, new MseLoss()), List.of(), null, null);
        assertParity(saved, 9, scale, null);
    }

    static Stream<Float> scales() {
        return Stream.of(0.1f, 5f, 20f);
    }

    /** An image model's scaling is in the graph: ONNX takes pixels in [0, 1], as omomi's predictImages does. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("imageModels")
    void imageStandardizationIsPartOfTheGraph(ModelSpec spec) throws OrtException {
        ImageScaling scaling = new ImageScaling(0.2860f, 0.3530f, IMAGE);
        SavedModel saved = SavedModel.of(spec, seeded(spec, 4), Head.multiclass(3), List.of("a", "b", "c"), scaling, null);
        assertParity(saved, 6, 1f, in -> Inputs.of(scaling.apply(in.tensor("x"))));
    }

    static Stream<ModelSpec> imageModels() {
        return Stream.of(ModelSpec.cnn(IMAGE, 3), ModelSpec.resnet(8, 4, IMAGE, 3, true));
    }

    /**
     * A table model's standardization is in the graph: ONNX takes the numbers as the CSV file has
     * them (and categories one-hot, or as ids), omomi predicts from the CSV rows themselves.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void tableStandardizationIsPartOfTheGraph(Tabular.Encoding encoding) throws OrtException {
        Csv.Table table = table(60, 3);
        Tabular scaled = Tabular.fit(table, "clicked", Tabular.Task.CLASSIFICATION, true, encoding, Set.of());
        Tabular raw = Tabular.fit(table, "clicked", Tabular.Task.CLASSIFICATION, false, encoding, Set.of()); // the same columns, unscaled
        ModelSpec spec;
        if (encoding == Tabular.Encoding.ONE_HOT) {
            spec = ModelSpec.mlp(scaled.inputSize(), new int[] {8}, "relu", 1);
        } else {
            spec = ModelSpec.graph("table", List.of(InputSpec.floats("x", scaled.inputSize()), InputSpec.ids("ids", scaled.idColumns().size())), 1,
                    List.of(new NodeSpec("fields", new EmbeddingSpec(scaled.idCount(), 3, false, 1.0), "ids"),
                            new NodeSpec("fields_flat", new FlattenSpec(), "fields"),
                            new NodeSpec("joined", new ConcatSpec(1), "x", "fields_flat"),
                            new NodeSpec("hidden", new SequentialSpec(List.of(new DenseSpec(scaled.inputSize() + 3 * scaled.idColumns().size(), 6),
                                    ActivationSpec.of("relu"), new DenseSpec(6, 1))), "joined")), "hidden");
        }
        SavedModel saved = SavedModel.of(spec, seeded(spec, 8), Head.binary(), scaled.classes(), scaled, null);
        try (OrtSession s = OnnxRuntimeCheck.session(new OnnxExport().toBytes(saved))) {
            for (int batch : new int[] {1, 7}) {
                Csv.Table rows = table.select(java.util.stream.IntStream.range(10, 10 + batch).toArray());
                Inputs onnxIn = raw.encode(rows);
                Predictor.Prediction p = saved.predictor().predict(rows);
                Map<String, Tensor> got = OnnxRuntimeCheck.run(s, onnxIn);
                OnnxRuntimeCheck.assertClose(p.outputs(), got.get("logits"), encoding + " at batch " + batch + ", logits");
                OnnxRuntimeCheck.assertClose(p.probabilities(), got.get("probabilities").reshape(batch), encoding + " at batch " + batch + ", probabilities");
            }
        }
    }

    static Stream<Tabular.Encoding> encodings() {
        return Stream.of(Tabular.Encoding.ONE_HOT, Tabular.Encoding.INDEX);
    }

    /** Ad clicks with numbers on different scales (age, income) and two categorical columns. */
    static Csv.Table table(int rows, long seed) {
        Rng rng = new Rng(seed);
        List<String[]> r = new ArrayList<>();
        int[] lines = new int[rows];
        String[] devices = {"mobile", "desktop", "tablet"};
        String[] regions = {"north", "south"};
        for (int i = 0; i < rows; i++) {
            r.add(new String[] {String.format(Locale.ROOT, "%.1f", 18 + 50 * rng.nextDouble()), devices[rng.nextInt(3)],
                String.format(Locale.ROOT, "%.0f", 20000 + 80000 * rng.nextDouble()), regions[rng.nextInt(2)],
                String.format(Locale.ROOT, "%.3f", rng.nextDouble()), Integer.toString(rng.nextInt(2))});
            lines[i] = i + 2;
        }
        return new Csv.Table(Path.of("clicks.csv"), List.of("age", "device", "income", "region", "interest", "clicked"), r, lines);
    }

    // ------------------------------------------------------------------ models made of every kind

    /** Each activation, dropout (the identity), batch norm over features and layer norm. */
    static ModelSpec everyActivation() {
        List<LayerSpec> l = List.of(new DenseSpec(10, 12), ActivationSpec.of("gelu"), new DenseSpec(12, 12), ActivationSpec.of("softplus"),
                new DropoutSpec(0.3, false), new BatchNormSpec(12, false), new DenseSpec(12, 12, false, "torch"),
                new ActivationSpec("leaky_relu", 0.2), new LayerNormSpec(12), new DenseSpec(12, 8), new ActivationSpec("elu", 0.7),
                new DenseSpec(8, 8), ActivationSpec.of("sigmoid"), new DenseSpec(8, 6), ActivationSpec.of("tanh"),
                new DenseSpec(6, 3));
        return ModelSpec.sequential("every_activation", 10, 3, l);
    }

    /** Convolutions with and without bias, average pooling, 2-D batch norm and dropout, global pooling. */
    static ModelSpec convolutionKinds() {
        List<LayerSpec> l = List.of(new UnflattenSpec(List.of(3, 10, 10)), new Conv2dSpec(3, 6, 3, 1, 0, true), new BatchNormSpec(6, true),
                ActivationSpec.of("relu"), new PoolSpec(false, 2, 2), new DropoutSpec(0.2, true), new Conv2dSpec(6, 5, 3, 2, 1, false),
                new PoolSpec(true, 2, 1), ActivationSpec.of("gelu"), new GlobalAvgPoolSpec(), new DenseSpec(5, 3));
        return ModelSpec.sequential("convolution_kinds", 300, 3, l);
    }

    /** A user tower and an item tower meeting in a dot product. */
    static ModelSpec twoTower() {
        return ModelSpec.graph("two_tower", List.of(InputSpec.ids("user", 0), InputSpec.ids("item", 0)), 1, List.of(
                new NodeSpec("user_vec", new EmbeddingSpec(30, 8, false, 1.0), "user"),
                new NodeSpec("item_vec", new EmbeddingSpec(20, 8, true, 0.5), "item"),
                new NodeSpec("user_tower", new SequentialSpec(List.of(new DenseSpec(8, 8), ActivationSpec.of("relu"), new DenseSpec(8, 6))), "user_vec"),
                new NodeSpec("item_tower", new SequentialSpec(List.of(new DenseSpec(8, 8), ActivationSpec.of("relu"), new DenseSpec(8, 6))), "item_vec"),
                new NodeSpec("score", new DotSpec(), "user_tower", "item_tower")), "score");
    }

    /** A factorization machine: pairwise interactions of field vectors, a first-order sum, a dense part and a global bias. */
    static ModelSpec factorizationMachine() {
        return ModelSpec.graph("fm", List.of(InputSpec.ids("ids", 4), InputSpec.floats("x", 3)), 1, List.of(
                new NodeSpec("factors", new EmbeddingSpec(25, 5, false, 0.3), "ids"),
                new NodeSpec("pairs", new PairwiseInteractionsSpec(), "factors"),
                new NodeSpec("weights", new EmbeddingSpec(25, 1, false, 0.3), "ids"),
                new NodeSpec("first_order", new SumSpec(1), "weights"),
                new NodeSpec("first_order_flat", new FlattenSpec(), "first_order"),
                new NodeSpec("dense_part", new DenseSpec(3, 1), "x"),
                new NodeSpec("sum", new AddSpec(), "pairs", "first_order_flat", "dense_part"),
                new NodeSpec("logit", new BiasSpec(1), "sum")), "logit");
    }

    /** NCF: a generalized matrix factorization (a product) beside an MLP of concatenated vectors. */
    static ModelSpec neuralCollaborativeFiltering() {
        return ModelSpec.graph("ncf", List.of(InputSpec.ids("user", 0), InputSpec.ids("item", 0)), 1, List.of(
                new NodeSpec("gmf_user", new EmbeddingSpec(15, 4, false, 1.0), "user"),
                new NodeSpec("gmf_item", new EmbeddingSpec(12, 4, false, 1.0), "item"),
                new NodeSpec("gmf", new MultiplySpec(), "gmf_user", "gmf_item"),
                new NodeSpec("mlp_user", new EmbeddingSpec(15, 5, false, 1.0), "user"),
                new NodeSpec("mlp_item", new EmbeddingSpec(12, 5, false, 1.0), "item"),
                new NodeSpec("pair", new ConcatSpec(1), "mlp_user", "mlp_item"),
                new NodeSpec("mlp", new SequentialSpec(List.of(new DenseSpec(10, 8), ActivationSpec.of("relu"), new DropoutSpec(0.5, false),
                        new DenseSpec(8, 4), ActivationSpec.of("relu"))), "pair"),
                new NodeSpec("joined", new ConcatSpec(-1), "gmf", "mlp"),
                new NodeSpec("output", new DenseSpec(8, 1), "joined")), "output");
    }

    /**
     * Dense layers on [N, F, k] field vectors (MatMul, not Gemm), a concatenation on the last axis,
     * a sum over it broadcast back, and a node named like an output tensor ("probabilities").
     */
    static ModelSpec fieldsThroughDenseLayers() {
        return ModelSpec.graph("fields", List.of(InputSpec.ids("ids", 3)), 2, List.of(
                new NodeSpec("fields", new EmbeddingSpec(9, 6, false, 1.0), "ids"),
                new NodeSpec("projected", new DenseSpec(6, 4), "fields"),
                new NodeSpec("unbiased", new DenseSpec(6, 4, false, "he"), "fields"),
                new NodeSpec("both", new ConcatSpec(-1), "projected", "unbiased"),
                new NodeSpec("act", ActivationSpec.of("relu"), "both"),
                new NodeSpec("flat", new FlattenSpec(), "act"),
                new NodeSpec("probabilities", new DenseSpec(24, 2), "flat"),
                new NodeSpec("total", new SumSpec(-1), "probabilities"),
                new NodeSpec("shifted", new AddSpec(), "probabilities", "total"),
                new NodeSpec("head", new SequentialSpec(List.of(new DenseSpec(2, 2), ActivationSpec.of("tanh"))), "shifted")), "head");
    }
}
