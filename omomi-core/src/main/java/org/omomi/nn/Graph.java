package org.omomi.nn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;
import org.omomi.tensor.Tensor;

/**
 * A network of named branches: named inputs (floats and ids) flow through nodes, each a module
 * applied to earlier inputs or nodes, to one output node. What a {@link Sequential} cannot say —
 * an embedding per field joined with dense features, a user tower and an item tower meeting in a
 * dot product — a graph can; {@link ModelSpec} describes one as data.
 *
 * <p>Each node's module is a child under the node's name, so state-dict keys are
 * {@code NODE.weight}, {@code NODE.0.bias}, …, as attributes of a PyTorch module of the same names
 * would give. Nodes run in the order given; each reads only inputs and nodes before it.
 */
public final class Graph extends Module {

    /** One step of the graph: the child module named {@code name} applied to {@code from}. */
    public record Node(String name, List<String> from) {
        public Node {
            from = List.copyOf(from);
        }
    }

    private final List<String> inputs;
    private final List<Node> nodes;
    private final String output;

    /** {@code modules.get(i)} runs as {@code nodes.get(i)}; references are checked by {@link ModelSpec}. */
    public Graph(List<String> inputs, List<Node> nodes, List<Module> modules, String output) {
        if (nodes.size() != modules.size()) {
            throw new IllegalArgumentException("Graph: " + nodes.size() + " nodes and " + modules.size() + " modules");
        }
        this.inputs = List.copyOf(inputs);
        this.nodes = List.copyOf(nodes);
        this.output = output;
        for (int i = 0; i < nodes.size(); i++) {
            child(nodes.get(i).name(), modules.get(i));
        }
    }

    /** The input names, in order. */
    public List<String> inputNames() {
        return inputs;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("this model takes the inputs " + inputs + "; give them by name");
        }
        return forward(Inputs.of(inputs.get(0), x));
    }

    @Override
    public Tensor forward(Inputs in) {
        Map<String, Object> values = new HashMap<>();
        for (String name : inputs) {
            if (!in.has(name)) {
                throw new IllegalArgumentException("the model needs the input '" + name + "'; the batch has " + in.names());
            }
            values.put(name, in.isIds(name) ? in.ids(name) : in.tensor(name));
        }
        Map<String, Module> modules = children();
        Tensor last = null;
        for (Node node : nodes) {
            Inputs args = null;
            for (int k = 0; k < node.from().size(); k++) {
                Object v = values.get(node.from().get(k));
                String key = Integer.toString(k);
                args = v instanceof IntTensor ids
                        ? (args == null ? Inputs.of(key, ids) : args.with(key, ids))
                        : (args == null ? Inputs.of(key, (Tensor) v) : args.with(key, (Tensor) v));
            }
            last = modules.get(node.name()).call(args);
            values.put(node.name(), last);
        }
        return (Tensor) values.get(output);
    }
}
