package org.omomi.spark;

import java.io.Serializable;
import java.util.Iterator;
import org.omomi.data.Dataset;

/**
 * Turns one partition's raw rows (Spark {@code Row}s, lines of a text file, {@link Example}s, …)
 * into an omomi {@link Dataset}, in their order. Runs on the executors, once per partition; the
 * result stays cached there for the whole run.
 */
public interface PartitionEncoder<T> extends Serializable {

    /** The rows of partition {@code partition}, encoded. */
    Dataset encode(int partition, Iterator<T> rows);
}
