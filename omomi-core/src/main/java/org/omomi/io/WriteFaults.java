package org.omomi.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Faults a test can inject into {@link AtomicFile}'s writes through system properties, so that a
 * crash in the middle of a write and a full disk can be tried on any machine without root (both
 * off unless the property is set):
 * <ul>
 * <li>{@value #PAUSE}{@code =MS}: every write stops for MS milliseconds once half of its first
 *     block of bytes is in the temporary file — a window in which a test kills the process with
 *     the file half-written;</li>
 * <li>{@value #FULL}{@code =N}: the disk fills up after N more bytes written by this JVM's atomic
 *     writes (counted from when the property was set or changed): the write that passes N writes
 *     what still fits, then fails with "No space left on device", as a full file system does.</li>
 * </ul>
 */
final class WriteFaults {

    static final String PAUSE = "omomi.test.writePauseMillis";
    static final String FULL = "omomi.test.diskFullAfterBytes";

    private static String budgetSpec;
    private static long used;

    private WriteFaults() {}

    /** {@code out} with the faults the system properties ask for; {@code out} itself when none. */
    static OutputStream wrap(OutputStream out) {
        String pause = System.getProperty(PAUSE);
        String full = System.getProperty(FULL);
        if (pause == null && full == null) {
            return out;
        }
        long pauseMillis = pause == null ? 0 : Long.parseLong(pause.strip());
        return new FilterOutputStream(out) {
            private boolean paused;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int allowed = full == null ? len : take(full, len);
                int first = 0;
                if (!paused && pauseMillis > 0 && allowed > 0) {
                    paused = true;
                    first = allowed / 2;
                    out.write(b, off, first);
                    out.flush();
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted in a paused write");
                    }
                }
                out.write(b, off + first, allowed - first);
                if (allowed < len) {
                    out.flush();
                    throw new IOException("No space left on device");
                }
            }
        };
    }

    /** How many of {@code len} more bytes fit in the budget {@code spec}; takes them. */
    private static synchronized int take(String spec, int len) {
        if (!spec.equals(budgetSpec)) {
            budgetSpec = spec;
            used = 0;
        }
        long left = Math.max(0, Long.parseLong(spec.strip()) - used);
        int n = (int) Math.min(left, len);
        used += n;
        return n;
    }
}
