package org.omomi.onnx;

/**
 * Where a layer sits in the model being exported, which gives every name it writes.
 *
 * @param label the layer's node name: {@code 3_relu} for layer 3 of a sequence, {@code user_vec}
 *              for a graph node, {@code tower/0_dense} inside one; intermediate tensors of the
 *              layer are {@code label/step}
 * @param key   the state-dict prefix of its weights: {@code 3.}, {@code tower.0.}
 * @param out   the name of the tensor the layer writes: its label, or the graph's output name
 * @param where the layer's place in words, for errors: {@code layer 3}, {@code node 'tower', layer 0}
 */
record Scope(String label, String key, String out, String where) {

    /** The state-dict key of one of this layer's weights. */
    String key(String parameter) {
        return key + parameter;
    }

    /** The name of an intermediate tensor (and node) of this layer. */
    String step(String step) {
        return label + "/" + step;
    }

    /** Step {@code index} of a sequence held at this scope; the last step writes this scope's output. */
    Scope child(int index, String type, boolean last) {
        String childLabel = (label.isEmpty() ? "" : label + "/") + index + "_" + type;
        String childWhere = where.isEmpty() ? "layer " + index : where + ", layer " + index;
        return new Scope(childLabel, key + index + ".", last ? out : childLabel, childWhere);
    }
}
