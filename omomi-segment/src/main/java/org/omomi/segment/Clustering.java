package org.omomi.segment;

import org.omomi.tensor.Tensor;

/**
 * A partition of n points into k clusters, in the space it was computed in.
 *
 * @param centres    [k, d]: each cluster's centre (its members' mean, after Lloyd's iterations)
 * @param labels     [n]: each point's cluster, 0 … k−1
 * @param distances  [n]: each point's Euclidean distance to its own centre
 * @param inertia    Σ distance², the quantity k-means minimises
 * @param iterations assignment passes made (for mini-batch k-means, mini-batch steps)
 * @param converged  whether the last pass changed no label
 */
public record Clustering(Tensor centres, int[] labels, double[] distances, double inertia, int iterations, boolean converged) {

    public Clustering {
        if (centres.dim() != 2 || labels.length != distances.length) {
            throw new IllegalArgumentException("a clustering needs centres [k, d] and one label and distance per point");
        }
    }

    /** The number of clusters. */
    public int k() {
        return centres.size(0);
    }

    /** How many points each cluster holds. */
    public int[] sizes() {
        int[] s = new int[k()];
        for (int l : labels) {
            s[l]++;
        }
        return s;
    }
}
