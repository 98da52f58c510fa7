package org.omomi.data;

import java.util.Iterator;

/**
 * Where training batches come from, epoch by epoch: a {@link DataLoader} over an in-memory
 * {@link Dataset}, or a stream read from a file too large for memory. Epoch e's batches must be a
 * function of e alone, so that a resumed run can start at any batch of any epoch and see the same
 * batches as a run that never stopped.
 */
public interface BatchSource {

    /** Batches in one epoch. */
    int batches();

    /** The batches of epoch {@code epoch} (from 0), from batch {@code first} on. */
    Iterator<Batch> epoch(int epoch, int first);
}
