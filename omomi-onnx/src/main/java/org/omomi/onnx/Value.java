package org.omomi.onnx;

/**
 * A tensor of the graph being written, as the layer writers see it.
 *
 * @param name its ONNX name
 * @param rank its number of dimensions, the batch included ([N, 784] has rank 2)
 * @param ids  whether it holds int64 ids (an id input) rather than float32 values
 */
record Value(String name, int rank, boolean ids) {

    /** A float tensor of this rank. */
    static Value floats(String name, int rank) {
        return new Value(name, rank, false);
    }
}
