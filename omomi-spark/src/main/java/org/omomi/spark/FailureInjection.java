package org.omomi.spark;

import org.apache.spark.TaskContext;

/**
 * A test hook: makes the first attempt of one partition's task at one step throw, as a lost
 * executor would, so tests can show that Spark's retry gives the step's result unchanged. Off
 * unless a test in this JVM turns it on (in {@code local[N,F]} mode the tasks run in the test's
 * JVM); a retry is attempt 1 and passes.
 */
final class FailureInjection {

    private static volatile int partition = -1;
    private static volatile long step = -1;
    private static volatile int thrown;

    private FailureInjection() {}

    /** Fails the first attempt of partition {@code p}'s task at step (or round) {@code s}. */
    static void failOnce(int p, long s) {
        partition = p;
        step = s;
        thrown = 0;
    }

    static void clear() {
        partition = -1;
        step = -1;
    }

    /** Failures thrown since {@link #failOnce}. */
    static int thrown() {
        return thrown;
    }

    static void check(int p, long s) {
        if (p != partition || s != step) {
            return;
        }
        TaskContext t = TaskContext.get();
        if (t != null && t.attemptNumber() == 0) {
            thrown++;
            throw new IllegalStateException("injected failure of partition " + p + " at step " + s + " (attempt 0)");
        }
    }
}
