package org.omomi.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.omomi.onnx.proto.OnnxProto.Attribute;
import org.omomi.onnx.proto.OnnxProto.Graph;
import org.omomi.onnx.proto.OnnxProto.Node;
import org.omomi.onnx.proto.OnnxProto.Shape;
import org.omomi.onnx.proto.OnnxProto.Type;
import org.omomi.onnx.proto.OnnxProto.ValueInfo;
import org.omomi.tensor.Tensor;

/**
 * An ONNX graph under construction: nodes in the order they are added (which is topological,
 * since a node only reads what came before), the weights it reads as initializers named by their
 * state-dict keys, and small constants. Every tensor name is given once; a second use of a name is
 * a bug in the exporter and fails at once.
 */
final class OnnxGraph {

    /** ONNX's element types (TensorProto.DataType): 32-bit float and 64-bit integer ids. */
    static final int FLOAT = 1;
    static final int INT64 = 7;

    /** The name of the batch dimension of inputs and outputs, left free (any size at run time). */
    static final String BATCH = "batch";

    private final Graph.Builder graph = Graph.newBuilder();
    private final Map<String, Tensor> weights;
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> scalars = new HashMap<>();
    private final List<Node.Builder> nodes = new ArrayList<>();
    private final Map<String, Node.Builder> producers = new HashMap<>();

    /** A graph whose initializers come from {@code weights} (state-dict key → tensor). */
    OnnxGraph(String name, Map<String, Tensor> weights) {
        this.weights = weights;
        graph.setName(name);
    }

    // ------------------------------------------------------------------ values

    /**
     * The weight of this state-dict key as an initializer of the same name (added at its first
     * use), so that a reader of the ONNX file finds {@code 0.weight} where PyTorch and omomi keep it.
     */
    String weight(String key) {
        if (!names.contains(key)) {
            Tensor t = weights.get(key);
            if (t == null) {
                throw new IllegalStateException("ONNX export: the weights have no '" + key + "'");
            }
            graph.addInitializer(floats(key, t.toArray(), t.shape()));
            names.add(key);
        }
        return key;
    }

    /** A float32 scalar constant, shared by every node that uses the same value. */
    String scalar(float value) {
        String key = Float.toString(value);
        String existing = scalars.get(key);
        if (existing != null) {
            return existing;
        }
        String name = claim("const/" + key.toLowerCase(Locale.ROOT));
        graph.addInitializer(floats(name, new float[] {value}, new int[0]));
        scalars.put(key, name);
        return name;
    }

    /** A float32 constant of the given shape. */
    String constant(String name, float[] values, int... shape) {
        graph.addInitializer(floats(claim(name), values, shape));
        return name;
    }

    /** A 1-D int64 constant: shapes, axes. */
    String int64s(String name, long... values) {
        graph.addInitializer(org.omomi.onnx.proto.OnnxProto.Tensor.newBuilder()
                .setName(claim(name)).setDataType(INT64).addDims(values.length)
                .setRawData(ByteString.copyFrom(littleEndianLongs(values))));
        return name;
    }

    private static org.omomi.onnx.proto.OnnxProto.Tensor floats(String name, float[] values, int[] shape) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        var t = org.omomi.onnx.proto.OnnxProto.Tensor.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (int d : shape) {
            t.addDims(d);
        }
        return t.build();
    }

    private static byte[] littleEndianLongs(long[] values) {
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return buf.array();
    }

    private String claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("ONNX export: the tensor name '" + name + "' is used twice");
        }
        return name;
    }

    // ------------------------------------------------------------------ nodes

    /** Adds the node {@code name} running {@code op} on {@code inputs}; its one output has the same name. */
    String node(String op, String name, List<String> inputs, Attribute... attributes) {
        return node(op, name, name, inputs, attributes);
    }

    /**
     * Adds a node with an output name of its own ({@code output}): the last node of a layer writes
     * the layer's tensor, which may be the graph's output. A null input is an omitted optional
     * input (a layer without bias); trailing ones are dropped, inner ones left empty as ONNX asks.
     */
    String node(String op, String name, String output, List<String> inputs, Attribute... attributes) {
        List<String> in = new ArrayList<>(inputs);
        while (!in.isEmpty() && in.get(in.size() - 1) == null) {
            in.remove(in.size() - 1);
        }
        Node.Builder n = Node.newBuilder().setOpType(op).setName(name).addOutput(claim(output));
        for (String i : in) {
            if (i != null && !names.contains(i)) {
                throw new IllegalStateException("ONNX export: node '" + name + "' reads '" + i + "', which nothing wrote");
            }
            n.addInput(i == null ? "" : i);
        }
        n.addAllAttribute(Arrays.asList(attributes));
        nodes.add(n);
        producers.put(output, n);
        return output;
    }

    /** Notes on the node that wrote {@code tensor} where it came from (shown by viewers such as Netron). */
    void describe(String tensor, String text) {
        Node.Builder n = producers.get(tensor);
        if (n != null && n.getDocString().isEmpty()) {
            n.setDocString(text);
        }
    }

    static Attribute intAttr(String name, long value) {
        return Attribute.newBuilder().setName(name).setType(Attribute.Kind.INT).setI(value).build();
    }

    static Attribute floatAttr(String name, float value) {
        return Attribute.newBuilder().setName(name).setType(Attribute.Kind.FLOAT).setF(value).build();
    }

    static Attribute intsAttr(String name, long... values) {
        Attribute.Builder a = Attribute.newBuilder().setName(name).setType(Attribute.Kind.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    // ------------------------------------------------------------------ inputs and outputs

    /** A graph input of this element type and per-example shape; the batch dimension is {@value #BATCH}. */
    String input(String name, int elemType, List<Integer> example, String doc) {
        graph.addInput(valueInfo(claim(name), elemType, example, doc));
        return name;
    }

    /** Declares an existing tensor a graph output, with its per-example shape. */
    void output(String name, int elemType, List<Integer> example, String doc) {
        if (!names.contains(name)) {
            throw new IllegalStateException("ONNX export: the output '" + name + "' was never written");
        }
        graph.addOutput(valueInfo(name, elemType, example, doc));
    }

    private static ValueInfo valueInfo(String name, int elemType, List<Integer> example, String doc) {
        Shape.Builder shape = Shape.newBuilder().addDim(Shape.Dimension.newBuilder().setDimParam(BATCH));
        for (int d : example) {
            shape.addDim(Shape.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfo.newBuilder().setName(name).setDocString(doc)
                .setType(Type.newBuilder().setTensorType(Type.TensorType.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
    }

    Graph build() {
        nodes.forEach(graph::addNode);
        return graph.build();
    }
}
