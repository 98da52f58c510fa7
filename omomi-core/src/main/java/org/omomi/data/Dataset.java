package org.omomi.data;

/** Examples addressable by index, each an input and a target. */
public interface Dataset {

    int size();

    /** The examples at these indices, stacked in this order. */
    Batch get(int[] indices);

    /** Examples {@code [from, to)} as a dataset of their own, sharing storage where possible. */
    default Dataset range(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of a dataset of " + size());
        }
        Dataset parent = this;
        return new Dataset() {
            @Override
            public int size() {
                return to - from;
            }

            @Override
            public Batch get(int[] indices) {
                int[] shifted = new int[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    if (indices[i] < 0 || indices[i] >= to - from) {
                        throw new IndexOutOfBoundsException("index " + indices[i] + " of a dataset of " + (to - from));
                    }
                    shifted[i] = indices[i] + from;
                }
                return parent.get(shifted);
            }
        };
    }

    /** Every example, as one batch. */
    default Batch all() {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return get(idx);
    }
}
