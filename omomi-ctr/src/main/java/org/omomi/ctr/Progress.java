package org.omomi.ctr;

/**
 * Where long passes over a log report how far they are (rows read of how many, when known); the
 * command line draws a bar on a terminal, tests and libraries pass {@link #NONE}.
 */
public interface Progress {

    /** Reports nothing. */
    Progress NONE = new Progress() {
        @Override
        public void update(String task, long done, long total) {
        }

        @Override
        public void done() {
        }
    };

    /** {@code done} rows of {@code task}, of {@code total} (−1 when unknown). Called often; cheap. */
    void update(String task, long done, long total);

    /** The task ended; clear the bar. */
    void done();
}
