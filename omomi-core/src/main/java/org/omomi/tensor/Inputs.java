package org.omomi.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The named inputs of a model for one batch: float tensors (dense features, pixels) and id tensors
 * (one per categorical field, user and item ids), each with the batch as its first dimension.
 *
 * <p>A model with one float input uses the name {@value #DEFAULT}, and {@link #single()} gives it;
 * {@code Module.forward(Tensor)} is that case. A two-tower recommender takes
 * {@code Inputs.of("user", users).with("item", items)}. Names keep their insertion order, which is
 * the order a model file declares them in. Immutable.
 */
public final class Inputs {

    /** The name of a model's only input when it has one. */
    public static final String DEFAULT = "x";

    private final Map<String, Object> values; // each a Tensor or an IntTensor

    private Inputs(Map<String, Object> values) {
        this.values = values;
    }

    /** One float input under the default name. */
    public static Inputs of(Tensor x) {
        return of(DEFAULT, x);
    }

    public static Inputs of(String name, Tensor value) {
        return new Inputs(Map.of()).with(name, value);
    }

    public static Inputs of(String name, IntTensor value) {
        return new Inputs(Map.of()).with(name, value);
    }

    /** These inputs and one more float input. */
    public Inputs with(String name, Tensor value) {
        return put(name, value);
    }

    /** These inputs and one more id input. */
    public Inputs with(String name, IntTensor value) {
        return put(name, value);
    }

    private Inputs put(String name, Object value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("inputs: a name must be non-empty");
        }
        if (values.containsKey(name)) {
            throw new IllegalArgumentException("inputs: '" + name + "' is given twice");
        }
        int rows = value instanceof Tensor t ? firstDim(t.shape()) : firstDim(((IntTensor) value).shape());
        if (!values.isEmpty() && rows != size()) {
            throw new IllegalArgumentException("inputs: '" + name + "' has " + rows + " rows, the other inputs have " + size());
        }
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(name, value);
        return new Inputs(Collections.unmodifiableMap(m));
    }

    private static int firstDim(int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("inputs: a scalar cannot be a batch; the first dimension indexes examples");
        }
        return shape[0];
    }

    /** The input names, in order. */
    public Set<String> names() {
        return values.keySet();
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Whether the named input holds ids. */
    public boolean isIds(String name) {
        return require(name) instanceof IntTensor;
    }

    /** The named float input; an error lists the names there are. */
    public Tensor tensor(String name) {
        Object v = require(name);
        if (!(v instanceof Tensor t)) {
            throw new IllegalArgumentException("input '" + name + "' holds ids, not floats");
        }
        return t;
    }

    /** The named id input. */
    public IntTensor ids(String name) {
        Object v = require(name);
        if (!(v instanceof IntTensor t)) {
            throw new IllegalArgumentException("input '" + name + "' holds floats, not ids");
        }
        return t;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no input named '" + name + "'; the inputs are " + values.keySet());
        }
        return v;
    }

    /** The only input, which must be a float tensor: what a single-input model reads. */
    public Tensor single() {
        if (values.size() != 1) {
            throw new IllegalArgumentException("this model takes one input; the batch has " + values.keySet());
        }
        Object v = values.values().iterator().next();
        if (!(v instanceof Tensor t)) {
            throw new IllegalArgumentException("this model takes one float input; '" + values.keySet().iterator().next() + "' holds ids");
        }
        return t;
    }

    /** Examples in the batch (the first dimension shared by every input). */
    public int size() {
        if (values.isEmpty()) {
            return 0;
        }
        Object v = values.values().iterator().next();
        return v instanceof Tensor t ? t.size(0) : ((IntTensor) v).size(0);
    }

    /** The examples at these indices, in this order, from every input. */
    public Inputs rows(int[] indices) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, v instanceof Tensor t ? t.indexSelect(0, indices) : ((IntTensor) v).rows(indices)));
        return new Inputs(Collections.unmodifiableMap(m));
    }

    /** Batches with the same names joined along the first axis. */
    public static Inputs cat(List<Inputs> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cat: nothing to join");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : parts.get(0).names()) {
            boolean ids = parts.get(0).isIds(name);
            if (ids) {
                List<IntTensor> l = new ArrayList<>();
                parts.forEach(p -> l.add(p.ids(name)));
                m.put(name, IntTensor.cat(l.toArray(new IntTensor[0])));
            } else {
                List<Tensor> l = new ArrayList<>();
                parts.forEach(p -> l.add(p.tensor(name)));
                m.put(name, Tensor.cat(0, l.toArray(new Tensor[0])));
            }
        }
        for (Inputs p : parts) {
            if (!p.names().equals(parts.get(0).names())) {
                throw new IllegalArgumentException("cat: inputs " + p.names() + " and " + parts.get(0).names() + " differ");
            }
        }
        return new Inputs(Collections.unmodifiableMap(m));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Inputs{");
        values.forEach((k, v) -> sb.append(sb.length() > 7 ? ", " : "").append(k).append('=')
                .append(v instanceof Tensor t ? "float" + Shapes.str(t.shape()) : "ids" + Shapes.str(((IntTensor) v).shape())));
        return sb.append('}').toString();
    }
}
