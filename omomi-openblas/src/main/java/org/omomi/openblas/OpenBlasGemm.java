package org.omomi.openblas;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.omomi.kernel.GemmBackend;
import org.omomi.kernel.Parallel;

/**
 * GEMM through OpenBLAS's {@code cblas_sgemm}, loaded from org.bytedeco:openblas
 * ({@code openblas_nolapack}: the BLAS-only build, a 40 MB unpack rather than 120 MB).
 *
 * <p>omomi keeps tensors in Java arrays (see docs/design.md). Passing {@code float[]} to the
 * binding org.bytedeco generates would make JNI copy every array in and out on each call. Two
 * better ways, best first:
 * <ol>
 * <li>{@linkplain PinnedSgemm pinned}: a small JNI bridge pins the arrays and OpenBLAS works on
 *     them in place: no copy at all;</li>
 * <li>copied: where the bridge was not built, each thread keeps three native scratch buffers;
 *     {@code op(A)} and {@code op(B)} are copied in once, C in only when its old values are
 *     needed, and C out once.</li>
 * </ol>
 * The system property {@code omomi.openblas.pin=false} forces the copying path.
 *
 * <p>OpenBLAS runs its own threads; their number follows {@link Parallel#threads()}, set before
 * each call when it changed. omomi's pool is idle during the call, and its idle workers sleep at
 * once instead of spinning ({@link Parallel#spinWhenIdle}), so the two never compete.
 */
public final class OpenBlasGemm implements GemmBackend {

    private static final Throwable LOAD_FAILURE = load();
    private static int threadsSet = -1;

    private final boolean pinned;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static Throwable load() {
        try {
            Loader.load(openblas_nolapack.class);
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, or no natives for this platform
            return t;
        }
    }

    /** The backend ServiceLoader finds: pinned when the bridge is there and not switched off. */
    public OpenBlasGemm() {
        this(!"false".equalsIgnoreCase(System.getProperty("omomi.openblas.pin", "true")));
    }

    /** A backend that pins arrays when asked and able, else copies them. */
    OpenBlasGemm(boolean pinIfPossible) {
        this.pinned = pinIfPossible && LOAD_FAILURE == null && PinnedSgemm.available();
    }

    /** Whether this backend hands Java arrays to OpenBLAS in place. */
    public boolean pinned() {
        return pinned;
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public boolean available() {
        return LOAD_FAILURE == null;
    }

    /**
     * The kernel the loaded OpenBLAS chose ({@code openblas_get_corename()}: "Haswell", "Zen",
     * "SkylakeX", …), which the environment variable {@code OPENBLAS_CORETYPE} overrides at load
     * time; null when the library or the JNI bridge is missing. Benchmarks record it beside every
     * figure.
     */
    public static String coreName() {
        return LOAD_FAILURE == null ? PinnedSgemm.coreName() : null;
    }

    /** Why the native library could not load, or null when it did. */
    public static Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        syncThreads();
        Parallel.spinWhenIdle(false); // OpenBLAS's threads spin after each call; omomi's must not beside them
        if (pinned) {
            PinnedSgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Scratch s = SCRATCH.get();
        int aLen = span(transA ? k : m, transA ? m : k, lda);
        int bLen = span(transB ? n : k, transB ? k : n, ldb);
        int cLen = span(m, n, ldc);
        FloatPointer pa = s.a(aLen).put(a, aOff, aLen);
        FloatPointer pb = s.b(bLen).put(b, bOff, bLen);
        FloatPointer pc = s.c(cLen);
        // With beta == 0 BLAS never reads C, but when rows have gaps (ldc > n) copying the span back
        // would overwrite the gaps with stale scratch, so then C goes in too.
        if (beta != 0f || ldc != n) {
            pc.put(c, cOff, cLen);
        }
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        pc.get(c, cOff, cLen);
    }

    /** Elements from the first to the last of a rows×cols matrix with leading dimension ld. */
    private static int span(int rows, int cols, int ld) {
        return (rows - 1) * ld + cols;
    }

    private static synchronized void syncThreads() {
        int wanted = Parallel.threads();
        if (wanted != threadsSet) {
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(wanted);
            threadsSet = wanted;
        }
    }

    /** Native buffers of one thread, grown to the largest operand seen and reused. */
    private static final class Scratch {
        private FloatPointer a;
        private FloatPointer b;
        private FloatPointer c;

        FloatPointer a(int n) {
            a = ensure(a, n);
            return a;
        }

        FloatPointer b(int n) {
            b = ensure(b, n);
            return b;
        }

        FloatPointer c(int n) {
            c = ensure(c, n);
            return c;
        }

        private static FloatPointer ensure(FloatPointer p, int n) {
            if (p != null && p.capacity() >= n) {
                return p.position(0);
            }
            if (p != null) {
                p.close();
            }
            return new FloatPointer(Math.max(n, 1024));
        }
    }
}
