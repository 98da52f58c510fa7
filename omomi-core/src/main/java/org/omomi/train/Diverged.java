package org.omomi.train;

/** Training stopped because the loss or a weight stopped being a finite number; the message names the step and what. */
public final class Diverged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Diverged(String message) {
        super(message);
    }
}
