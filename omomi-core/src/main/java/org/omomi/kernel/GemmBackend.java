package org.omomi.kernel;

/**
 * One implementation of single-precision GEMM, {@code C = alpha·op(A)·op(B) + beta·C}, on row-major
 * matrices stored in float arrays (the BLAS {@code sgemm} contract with {@code CblasRowMajor}).
 *
 * <p>{@code op(A)} is {@code m×k}: {@code A} itself ({@code m} rows of stride {@code lda}) or, when
 * {@code transA}, the transpose of a {@code k×m} matrix. Likewise {@code op(B)} is {@code k×n}. When
 * {@code beta == 0}, {@code C} is overwritten and never read, so NaN in it does not propagate.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}; {@link Gemm} validates every
 * argument before a backend sees it, so a backend may trust its inputs. Every backend must be
 * deterministic: the same inputs give the same bits, whatever {@link Parallel#threads()} is.
 */
public interface GemmBackend {

    /** A short name: {@code java}, {@code vector}, {@code openblas}. */
    String name();

    /** Higher wins when several backends are available and none is chosen explicitly. */
    int priority();

    /** Whether this backend can run in this JVM on this machine (a native library may be missing). */
    boolean available();

    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);
}
