package org.omomi.init;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** Gives a parameter its starting values. {@link Init} has the named ones. */
@FunctionalInterface
public interface Initializer {

    /** Overwrites every element of {@code t} (a dense tensor) using {@code rng}. */
    void initialize(Tensor t, Rng rng);
}
