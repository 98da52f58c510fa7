package org.omomi.spark;

import java.io.Serializable;

/**
 * A value that partitions add up: {@link #plus} must be associative up to float rounding and
 * must not change either operand. {@link TreeSum} fixes the bracketing, so the rounding is the
 * same whichever order Spark merges partial results in.
 */
public interface Summable<T extends Summable<T>> extends Serializable {

    /** This plus {@code other} (this one's partitions have the lower indices), a new value. */
    T plus(T other);
}
