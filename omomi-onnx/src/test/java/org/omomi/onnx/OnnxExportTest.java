package org.omomi.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.omomi.onnx.OnnxRuntimeCheck.seeded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.ImageScaling;
import org.omomi.io.Exporter;
import org.omomi.io.Json;
import org.omomi.io.SavedModel;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.LayerSpec.Conv2dSpec;
import org.omomi.nn.LayerSpec.EmbeddingSpec;
import org.omomi.nn.LayerSpec.SequentialSpec;
import org.omomi.nn.LayerTypes;
import org.omomi.nn.ModelSpec;
import org.omomi.onnx.proto.OnnxProto;
import org.omomi.train.Head;

/** The ONNX file itself: versions, names, initializers, metadata, errors, and how the CLI finds the exporter. */
class OnnxExportTest {

    @TempDir
    Path dir;

    private static SavedModel saved(ModelSpec spec, Head head) {
        return SavedModel.of(spec, seeded(spec, 1), head, List.of(), null, null);
    }

    private static OnnxProto.Model model(SavedModel s) {
        return new OnnxExport().model(s);
    }

    @Test
    void theFileIsOpset17WithIrVersion8AndSaysWhoWroteIt() throws Exception {
        OnnxProto.Model m = OnnxProto.Model.parseFrom(new OnnxExport().toBytes(saved(ModelSpec.mlp(4, new int[] {3}, "relu", 2), Head.multiclass(2))));
        assertEquals(8, m.getIrVersion());
        assertEquals(1, m.getOpsetImportCount());
        assertEquals("", m.getOpsetImport(0).getDomain());
        assertEquals(17, m.getOpsetImport(0).getVersion());
        assertEquals("omomi", m.getProducerName());
        assertEquals("mlp", m.getGraph().getName());
    }

    /** Initializers are the state dict, by its keys (batch norm's counter aside); nodes and tensors are named after layers. */
    @Test
    void weightsKeepTheirStateDictNamesAndLayersTheirPlaces() {
        ModelSpec spec = ModelSpec.resnet(8, 4, new int[] {1, 8, 8}, 3, true);
        SavedModel s = saved(spec, Head.multiclass(3));
        OnnxProto.Graph g = model(s).getGraph();
        Set<String> expected = new TreeSet<>();
        s.weights().keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).forEach(expected::add);
        Set<String> weights = new TreeSet<>();
        for (OnnxProto.Tensor t : g.getInitializerList()) {
            if (!t.getName().startsWith("const/") && !t.getName().contains("/")) {
                weights.add(t.getName());
                assertEquals(List.of(), diffShape(s.weights().get(t.getName()).shape(), t.getDimsList()), t.getName());
            }
        }
        assertEquals(expected, weights);
        List<String> nodes = g.getNodeList().stream().map(OnnxProto.Node::getName).toList();
        assertTrue(nodes.containsAll(List.of("0_unflatten", "1_conv2d", "2_batchnorm2d", "3_relu", "4_maxpool2d",
                "6_basic_block/conv1", "6_basic_block/downsample.0", "6_basic_block/add", "8_global_avg_pool/pool")), nodes.toString());
        assertEquals("logits", g.getNode(nodes.indexOf("9_dense")).getOutput(0));
        assertEquals("Gemm", g.getNode(nodes.indexOf("9_dense")).getOpType());
        assertEquals(List.of("logits", "probabilities"), g.getOutputList().stream().map(OnnxProto.ValueInfo::getName).toList());
        assertEquals("basic_block", ((Map<?, ?>) Json.parse(g.getNode(nodes.indexOf("6_basic_block")).getDocString())).get("type"));
    }

    private static List<String> diffShape(int[] shape, List<Long> dims) {
        List<String> d = new ArrayList<>();
        if (shape.length != dims.size()) {
            d.add("rank " + shape.length + " vs " + dims.size());
        } else {
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] != dims.get(i)) {
                    d.add("dim " + i);
                }
            }
        }
        return d;
    }

    @Test
    void graphNodesAreNamedAsInTheModelFile() {
        OnnxProto.Graph g = model(saved(OnnxParityTest.twoTower(), Head.binary())).getGraph();
        List<String> nodes = g.getNodeList().stream().map(OnnxProto.Node::getName).toList();
        assertTrue(nodes.containsAll(List.of("user_vec", "item_vec", "user_tower/0_dense", "user_tower/2_dense", "score/product", "score")), nodes.toString());
        assertEquals("Gather", g.getNode(nodes.indexOf("user_vec")).getOpType());
        assertEquals(OnnxGraph.INT64, g.getInput(0).getType().getTensorType().getElemType());
        assertEquals("batch", g.getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(1, g.getInput(0).getType().getTensorType().getShape().getDimCount(), "one id per example: [batch]");
    }

    @Test
    void metadataCarriesTheModelFileThePreprocessingAndWhatTheInputsHold() {
        ModelSpec spec = ModelSpec.cnn(new int[] {1, 8, 8}, 3);
        ImageScaling scaling = new ImageScaling(0.25f, 0.5f, new int[] {1, 8, 8});
        SavedModel s = SavedModel.of(spec, seeded(spec, 1), Head.multiclass(3), List.of("cat", "dog", "fish"), scaling, null);
        OnnxProto.Model m = model(s);
        Map<String, String> meta = new LinkedHashMap<>();
        m.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertEquals(Set.of("omomi.model", "omomi.preprocessing", "omomi.inputs", "omomi.outputs", "omomi.classes"), meta.keySet());
        assertEquals(spec, ModelSpec.fromJson(castMap(Json.parse(meta.get("omomi.model")))));
        assertEquals(scaling, ImageScaling.fromJson(castMap(Json.parse(meta.get("omomi.preprocessing")))));
        assertEquals(List.of("cat", "dog", "fish"), Json.parse(meta.get("omomi.classes")));
        assertTrue(meta.get("omomi.inputs").startsWith("x: float32 [batch, 64]: pixels in [0, 1]"), meta.get("omomi.inputs"));
        assertTrue(meta.get("omomi.inputs").contains("(x − 0.25) / 0.5"), meta.get("omomi.inputs"));
        assertTrue(meta.get("omomi.outputs").contains("probabilities: float32 [batch, 3]: softmax"), meta.get("omomi.outputs"));
        List<String> first = m.getGraph().getNodeList().stream().limit(2).map(OnnxProto.Node::getOpType).toList();
        assertEquals(List.of("Sub", "Div"), first, "the scaling comes first");
        assertEquals(meta.get("omomi.inputs"), m.getGraph().getInput(0).getDocString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** Every layer record has a writer: a new layer kind fails here until it has an ONNX form (or is listed as refused). */
    @Test
    void everyLayerKindHasAnOnnxForm() {
        Set<String> refused = Set.of(); // layer records knowingly without an ONNX form
        OnnxLayers layers = OnnxLayers.standard();
        for (Class<?> kind : LayerSpec.class.getPermittedSubclasses()) {
            if (kind == SequentialSpec.class || refused.contains(kind.getSimpleName())) {
                continue;
            }
            assertTrue(hasWriter(layers, kind), kind.getSimpleName() + " has no ONNX writer in OnnxLayers");
        }
        assertEquals(new TreeSet<>(LayerTypes.names()), new TreeSet<>(layers.supported()), "the supported list names every layer type");
    }

    private static boolean hasWriter(OnnxLayers layers, Class<?> kind) {
        @SuppressWarnings("unchecked")
        OnnxLayers without = layers.without((Class<? extends LayerSpec>) kind);
        return without.supported().size() < layers.supported().size();
    }

    @Test
    void aLayerWithNoOnnxFormIsNamedWithItsPlace() {
        OnnxExport limited = new OnnxExport(OnnxLayers.standard().without(Conv2dSpec.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> limited.toBytes(saved(ModelSpec.cnn(new int[] {1, 8, 8}, 3), Head.multiclass(3))));
        assertTrue(e.getMessage().startsWith("ONNX export: layer 1 is a 'conv2d' layer, which has no ONNX form yet; supported: "), e.getMessage());
        assertFalse(e.getMessage().contains("conv2d,"), "conv2d is not listed as supported: " + e.getMessage());

        OnnxExport noEmbeddings = new OnnxExport(OnnxLayers.standard().without(EmbeddingSpec.class));
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> noEmbeddings.toBytes(saved(OnnxParityTest.twoTower(), Head.binary())));
        assertTrue(g.getMessage().startsWith("ONNX export: node 'user_vec' is a 'embedding' layer"), g.getMessage());
    }

    @Test
    void idsReachingAFloatLayerAreRefusedWithThePlace() {
        ModelSpec spec = ModelSpec.graph("bad", List.of(ModelSpec.InputSpec.ids("ids", 2)), 1, List.of(
                new ModelSpec.NodeSpec("d", new LayerSpec.DenseSpec(2, 1), "ids")), "d");
        // omomi refuses this model too, when it runs; the exporter says so before writing anything.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxExport().model(SavedModel.of(
                spec, spec.build(new org.omomi.tensor.Rng(1)), Head.binary(), List.of(), null, null)));
        assertTrue(e.getMessage().contains("node 'd' reads the ids 'ids' directly"), e.getMessage());
    }

    @Test
    void aTableModelWhoseInputDisagreesWithItsPreprocessingIsRefused() {
        org.omomi.data.Tabular t = org.omomi.data.Tabular.fit(OnnxParityTest.table(20, 1), "clicked",
                org.omomi.data.Tabular.Task.CLASSIFICATION, true, org.omomi.data.Tabular.Encoding.ONE_HOT, Set.of());
        ModelSpec spec = ModelSpec.mlp(t.inputSize() - 1, new int[] {3}, "relu", 1);
        SavedModel s = SavedModel.of(spec, seeded(spec, 1), Head.binary(), List.of(), t, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model(s));
        assertTrue(e.getMessage().startsWith("ONNX export: the model's input 'x' takes " + (t.inputSize() - 1) + " values, the preprocessing gives "
                + t.inputSize() + " columns [age, "), e.getMessage());
    }

    @Test
    void theCommandLineFindsTheExporterByFormatAndTheFileIsWritten() throws IOException {
        Exporter e = Exporter.forFormat("ONNX");
        assertInstanceOf(OnnxExport.class, e);
        assertEquals(".onnx", e.extension());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Exporter.forFormat("tflite"));
        assertEquals("no exporter for the format 'tflite'; known: onnx", bad.getMessage());
        Path file = dir.resolve("m.onnx");
        SavedModel s = saved(ModelSpec.logisticRegression(5, 2), Head.multiclass(2));
        e.export(s, file);
        OnnxProto.Model m = OnnxProto.Model.parseFrom(Files.readAllBytes(file));
        assertEquals(new HashSet<>(List.of("0.weight", "0.bias")),
                new HashSet<>(m.getGraph().getInitializerList().stream().map(OnnxProto.Tensor::getName).toList()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }
}
