package org.omomi.tour;

import java.io.IOException;

/**
 * One part of the tour, which {@code omomi experiment NAME} also runs alone. It computes with
 * real tensors, networks and data, and reports its numbers, pictures and the claims it checks.
 */
public interface Experiment {

    /** The command-line name, e.g. "init-histograms". */
    String name();

    /** Runs the experiment; the same setting gives the same numbers (one thread). */
    Part run(Setting setting) throws IOException;

    /** The names of its own flags ({@code omomi experiment NAME --steps 50}), read with {@link Setting#option}. */
    default java.util.List<String> flags() {
        return java.util.List.of();
    }
}
