package org.omomi.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.omomi.io.AtomicFile;
import org.omomi.io.Exporter;
import org.omomi.io.Json;
import org.omomi.io.Provenance;
import org.omomi.io.SavedModel;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.ModelSpec.InputSpec;
import org.omomi.nn.ModelSpec.NodeSpec;
import org.omomi.nn.Module;
import org.omomi.onnx.proto.OnnxProto;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * A saved model as an ONNX file (opset {@value #OPSET}, IR version {@value #IR_VERSION}), written
 * from its typed description ({@link ModelSpec}) and its weights, for ONNX Runtime in any language,
 * viewers such as Netron, and phones.
 *
 * <ul>
 * <li><b>Inputs</b> are the model's named inputs: float32 [batch, …] for values, int64 [batch, …]
 *     for ids; the batch dimension is free. An image model takes pixels in [0, 1] and a table model
 *     numbers as the CSV file has them: their standardization is in the graph
 *     ({@link InputScaling}).</li>
 * <li><b>Outputs</b>: {@code logits} and {@code probabilities} (softmax over the classes, or the
 *     sigmoid of a binary model's logit, [batch, 1]) for classifiers; {@code output} for regression.</li>
 * <li><b>Names</b>: weights keep their state-dict keys ({@code 0.weight}, {@code user_vec.weight});
 *     a layer's node and tensor are named after its place ({@code 3_relu}, {@code tower/0_dense});
 *     the steps inside a layer are {@code LAYER/step} ({@code 5_basic_block/conv1}).</li>
 * <li><b>Metadata</b> ({@code metadata_props}): {@code omomi.model} (model.json, with the head and
 *     the PyTorch twin), {@code omomi.preprocessing}, {@code omomi.inputs}, {@code omomi.outputs},
 *     {@code omomi.classes}, {@code omomi.provenance}.</li>
 * </ul>
 *
 * Batch norm is exported in evaluation mode (running statistics) and dropout as the identity: the
 * model as it predicts. A layer kind with no ONNX form is refused with its name and place.
 */
public final class OnnxExport implements Exporter {

    /** The operator set written: 17 has LayerNormalization and is read by ONNX Runtime ≥ 1.12 and onnx ≥ 1.12. */
    public static final int OPSET = 17;

    /** The IR version that goes with opset 17. */
    public static final int IR_VERSION = 8;

    private static final Set<String> OUTPUT_NAMES = Set.of("logits", "probabilities", "output");

    private final OnnxLayers layers;

    /** The exporter {@code omomi export --format onnx} finds through {@link java.util.ServiceLoader}. */
    public OnnxExport() {
        this(OnnxLayers.standard());
    }

    OnnxExport(OnnxLayers layers) {
        this.layers = layers;
    }

    @Override
    public String format() {
        return "onnx";
    }

    @Override
    public String extension() {
        return ".onnx";
    }

    /** Writes the ONNX file, atomically. */
    @Override
    public void export(SavedModel saved, Path file) throws IOException {
        byte[] bytes = toBytes(saved);
        AtomicFile.write(file, out -> out.write(bytes));
    }

    /** The ONNX file's bytes. */
    public byte[] toBytes(SavedModel saved) {
        return model(saved).toByteArray();
    }

    /** The ONNX model as a message. */
    OnnxProto.Model model(SavedModel saved) {
        ModelSpec spec = saved.spec();
        Head head = saved.head();
        OnnxGraph g = new OnnxGraph(spec.name(), saved.weights());
        InputScaling scaling = InputScaling.of(saved.preprocessing(), spec);

        Map<String, Value> values = new LinkedHashMap<>();
        for (InputSpec in : spec.inputs()) {
            String doc = scaling.descriptions().get(in.name());
            g.input(in.name(), in.ids() ? OnnxGraph.INT64 : OnnxGraph.FLOAT, in.shape(), doc);
            values.put(in.name(), scaling.apply(new Value(in.name(), in.shape().size() + 1, in.ids()), g));
        }

        String outName = head.kind() == Head.Kind.REGRESSION ? "output" : "logits";
        Value out;
        if (spec.isSequential()) {
            out = layers.sequence(spec.layers(), values.get(spec.inputs().get(0).name()), new Scope("", "", outName, ""), g);
        } else {
            out = null;
            for (NodeSpec n : spec.nodes()) {
                boolean isOutput = n.name().equals(spec.output());
                // A node may not take the name of an output tensor it does not write.
                String label = !isOutput && OUTPUT_NAMES.contains(n.name()) ? n.name() + "_node" : n.name();
                List<Value> args = new ArrayList<>();
                n.from().forEach(f -> args.add(values.get(f)));
                Value v = layers.write(n.layer(), args, new Scope(label, n.name() + ".", isOutput ? outName : label, "node '" + n.name() + "'"), g);
                values.put(n.name(), v);
                if (isOutput) {
                    out = v;
                }
            }
        }

        List<Integer> outShape = outputShape(saved);
        Map<String, String> outputs = new LinkedHashMap<>();
        g.output(out.name(), OnnxGraph.FLOAT, outShape, outName.equals("logits") ? "the model's logits" : "the model's output");
        outputs.put(out.name(), "float32 " + shape(outShape) + (outName.equals("logits") ? ": logits" : ": predicted values"));
        if (head.kind() == Head.Kind.MULTICLASS) {
            g.node("Softmax", "probabilities", List.of(out.name()), OnnxGraph.intAttr("axis", 1));
            g.output("probabilities", OnnxGraph.FLOAT, outShape, "softmax of the logits over the classes");
            outputs.put("probabilities", "float32 " + shape(outShape) + ": softmax of the logits over the " + head.outputs() + " classes");
        } else if (head.kind() == Head.Kind.BINARY) {
            g.node("Sigmoid", "probabilities", List.of(out.name()));
            g.output("probabilities", OnnxGraph.FLOAT, outShape, "the probability of the positive class, σ(logit)");
            outputs.put("probabilities", "float32 " + shape(outShape) + ": the probability of the positive class, σ(logit)");
        }

        OnnxProto.Model.Builder m = OnnxProto.Model.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxProto.OperatorSetId.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("omomi")
                .setProducerVersion(Provenance.version())
                .setDomain("org.omomi")
                .setModelVersion(1)
                .setDocString(docString(spec, head, scaling, outputs))
                .setGraph(g.build());
        metadata(m, "omomi.model", Json.write(saved.modelJson()));
        if (saved.preprocessing() != null) {
            metadata(m, "omomi.preprocessing", Json.write(saved.preprocessing().toJson()));
        }
        metadata(m, "omomi.inputs", String.join("\n", scaling.descriptions().values()));
        List<String> outText = new ArrayList<>();
        outputs.forEach((k, v) -> outText.add(k + ": " + v));
        metadata(m, "omomi.outputs", String.join("\n", outText));
        if (!saved.classes().isEmpty()) {
            metadata(m, "omomi.classes", Json.write(new ArrayList<Object>(saved.classes())));
        }
        if (saved.provenance() != null) {
            metadata(m, "omomi.provenance", Json.write(saved.provenance().toJson()));
        }
        return m.build();
    }

    /** The layer types this exporter writes, sorted. */
    public static List<String> supportedLayers() {
        return OnnxLayers.standard().supported();
    }

    private static void metadata(OnnxProto.Model.Builder m, String key, String value) {
        m.addMetadataProps(OnnxProto.StringEntry.newBuilder().setKey(key).setValue(value));
    }

    private static String docString(ModelSpec spec, Head head, InputScaling scaling, Map<String, String> outputs) {
        StringBuilder sb = new StringBuilder("omomi model '").append(spec.name()).append("' (").append(head.kindName()).append(" head)\n");
        sb.append("inputs:\n");
        scaling.descriptions().values().forEach(d -> sb.append("  ").append(d).append('\n'));
        sb.append("outputs:\n");
        outputs.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    /** The model's output shape for one example (batch left out), found by running it once on zeros. */
    private static List<Integer> outputShape(SavedModel saved) {
        Module model = saved.build();
        Inputs in = saved.spec().zeroExample();
        int[] s;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            s = model.call(in).shape();
        } catch (IllegalArgumentException e) {
            // Weights of the right shapes can still describe layers that do not chain (a model.json edited by hand).
            throw new IllegalArgumentException("the model's layers do not fit together on one example: " + e.getMessage(), e);
        }
        List<Integer> out = new ArrayList<>();
        for (int k = 1; k < s.length; k++) {
            out.add(s[k]);
        }
        return out;
    }

    private static String shape(List<Integer> example) {
        StringBuilder sb = new StringBuilder("[batch");
        example.forEach(d -> sb.append(", ").append(d));
        return sb.append(']').toString();
    }
}
