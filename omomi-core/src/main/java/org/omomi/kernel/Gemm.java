package org.omomi.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The entry point for matrix multiplication: validates arguments, then hands them to the chosen
 * {@link GemmBackend}.
 *
 * <p>Backends, best first: {@code openblas} (module omomi-openblas, when on the class path),
 * {@code vector} (pure Java on the incubating Vector API, when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}) and {@code java} (plain Java, always there). The
 * system property {@code omomi.gemm} picks one by name; {@link #use(String)} switches at run time.
 */
public final class Gemm {

    private static final List<GemmBackend> BACKENDS = discover();
    private static volatile GemmBackend current = initial();

    private Gemm() {}

    private static List<GemmBackend> discover() {
        List<GemmBackend> found = new ArrayList<>();
        found.add(new JavaGemm());
        GemmBackend vector = VectorSupport.gemm();
        if (vector != null) {
            found.add(vector);
        }
        for (GemmBackend b : ServiceLoader.load(GemmBackend.class, Gemm.class.getClassLoader())) {
            found.add(b);
        }
        found.sort(Comparator.comparingInt(GemmBackend::priority).reversed());
        return List.copyOf(found);
    }

    private static GemmBackend initial() {
        String wanted = System.getProperty("omomi.gemm");
        if (wanted != null && !wanted.isBlank()) {
            return find(wanted.trim());
        }
        for (GemmBackend b : BACKENDS) {
            if (b.available()) {
                return b;
            }
        }
        throw new IllegalStateException("no GEMM backend available"); // unreachable: java always is
    }

    private static GemmBackend find(String name) {
        for (GemmBackend b : BACKENDS) {
            if (b.name().equals(name)) {
                if (!b.available()) {
                    throw new IllegalArgumentException("GEMM backend '" + name + "' is on the class path but cannot run here");
                }
                return b;
            }
        }
        throw new IllegalArgumentException("unknown GEMM backend '" + name + "'; available: " + names());
    }

    /** Names of the backends that can run here, best first. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (GemmBackend b : BACKENDS) {
            if (b.available()) {
                names.add(b.name());
            }
        }
        return names;
    }

    /** The backend in use. */
    public static GemmBackend backend() {
        return current;
    }

    /** The backend with this name, without switching to it. */
    public static GemmBackend backend(String name) {
        return find(name);
    }

    /** Switches every later multiplication to the named backend. */
    public static void use(String name) {
        current = find(name);
    }

    /** {@code C = alpha·op(A)·op(B) + beta·C} with the backend in use; see {@link GemmBackend}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        sgemm(current, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** As {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)} on a given backend. */
    public static void sgemm(GemmBackend backend, boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        checkMatrix("C", c, cOff, ldc, m, n);
        if (k == 0 || alpha == 0f) {
            scale(c, cOff, ldc, m, n, beta);
            return;
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        backend.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Checks that a rows×cols row-major matrix with leading dimension ld fits in the array. */
    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("sgemm: leading dimension of " + name + " is " + ld + " but it has " + cols + " columns");
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + rows + "×" + cols + ", offset " + off
                    + ", stride " + ld + ") does not fit in an array of " + x.length);
        }
    }

    /** C = beta·C, with beta == 0 writing zeros (never reading C), as BLAS does. */
    static void scale(float[] c, int cOff, int ldc, int m, int n, float beta) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = row; j < row + n; j++) {
                    c[j] *= beta;
                }
            }
        }
    }
}
