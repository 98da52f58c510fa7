package org.omomi.spark;

import java.util.Map;
import java.util.TreeMap;

/**
 * A sum over P partitions whose bracketing is fixed by the partition indices, not by the order in
 * which partial sums meet: the complete binary tree over leaves 0 … P − 1 (leaf p is partition
 * p's value; a node is its left child plus its right child; a node with no leaves in [0, P) adds
 * nothing). Spark's {@code treeAggregate} merges task results in the order tasks finish, and a
 * retried or slow task finishes later, so a plain float sum of three or more partitions would
 * round differently from run to run; this one gives the same bits every time.
 *
 * <p>A value is a forest of completed subtrees; {@link #plus} inserts the other's subtrees and
 * joins siblings as soon as both are present. It is a reduction in {@code Collector}'s sense:
 * {@link #zero} is its identity, and it is associative and commutative exactly (bit for bit),
 * because every addition it performs is the same left-plus-right of the same tree. Held partial
 * sums: O(log P) when results arrive in order, at most P in the worst case. Immutable.
 */
public final class TreeSum<T extends Summable<T>> implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final int leaves;
    private final int rootLevel;
    private final TreeMap<Long, T> nodes; // key: level << 32 | index

    private TreeSum(int leaves, TreeMap<Long, T> nodes) {
        if (leaves < 1) {
            throw new IllegalArgumentException("a tree sum needs at least one partition, got " + leaves);
        }
        this.leaves = leaves;
        this.rootLevel = 32 - Integer.numberOfLeadingZeros(leaves - 1); // ⌈log₂ P⌉
        this.nodes = nodes;
    }

    /** Nothing yet, over {@code partitions} partitions: the identity. */
    public static <U extends Summable<U>> TreeSum<U> zero(int partitions) {
        return new TreeSum<U>(partitions, new TreeMap<Long, U>());
    }

    /** Partition {@code partition}'s value alone. */
    public static <U extends Summable<U>> TreeSum<U> leaf(int partition, int partitions, U value) {
        if (partition < 0 || partition >= partitions) {
            throw new IndexOutOfBoundsException("partition " + partition + " of " + partitions);
        }
        return TreeSum.<U>zero(partitions).insert(0, partition, value);
    }

    /** Both sums together; each partition may be in one of them only. */
    public TreeSum<T> plus(TreeSum<T> other) {
        if (other.leaves != leaves) {
            throw new IllegalArgumentException("tree sums over " + leaves + " and " + other.leaves + " partitions");
        }
        TreeSum<T> out = new TreeSum<>(leaves, new TreeMap<>(nodes));
        for (Map.Entry<Long, T> e : other.nodes.entrySet()) {
            out = out.insert((int) (e.getKey() >>> 32), (int) (long) e.getKey(), e.getValue());
        }
        return out;
    }

    private TreeSum<T> insert(int level, int index, T value) {
        TreeMap<Long, T> m = new TreeMap<>(nodes);
        int k = level;
        int j = index;
        T v = value;
        while (k < rootLevel) {
            int sibling = j ^ 1;
            long siblingStart = (long) sibling << k;
            if (siblingStart < leaves) {
                T s = m.remove(key(k, sibling));
                if (s == null) {
                    break; // wait for the sibling
                }
                v = (j & 1) == 0 ? v.plus(s) : s.plus(v);
            }
            k++;
            j >>= 1;
        }
        if (m.put(key(k, j), v) != null) {
            throw new IllegalStateException("partition values counted twice (node " + k + "." + j + ")");
        }
        return new TreeSum<>(leaves, m);
    }

    private static long key(int level, int index) {
        return ((long) level << 32) | (index & 0xffffffffL);
    }

    /** Whether every partition's value is in. */
    public boolean complete() {
        return nodes.size() == 1 && nodes.containsKey(key(rootLevel, 0));
    }

    /** The sum of every partition's value; fails unless {@link #complete()}. */
    public T total() {
        if (!complete()) {
            throw new IllegalStateException("the sum over " + leaves + " partitions is missing some (" + nodes.size() + " partial sums held)");
        }
        return nodes.get(key(rootLevel, 0));
    }

    /** Partial sums held: completed subtrees waiting for a sibling. */
    public int held() {
        return nodes.size();
    }
}
