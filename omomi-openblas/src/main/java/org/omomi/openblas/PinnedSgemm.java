package org.omomi.openblas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * Calls {@code cblas_sgemm} on Java arrays in place, through the small JNI library built from
 * {@code src/main/c/omomi_openblas.c} (see there for why pinning is safe). Available only where
 * that library was built (Linux x86-64 with gcc at build time); {@link OpenBlasGemm} copies
 * through native buffers elsewhere.
 */
final class PinnedSgemm {

    private static final String RESOURCE = "/org/omomi/openblas/" + Loader.getPlatform() + "/libomomi_openblas.so";
    private static final long FUNCTION;
    private static final Throwable FAILURE;

    static {
        long fn = 0;
        Throwable failure = null;
        try {
            Pointer p = Loader.addressof("cblas_sgemm");
            if (p == null || p.address() == 0) {
                throw new UnsatisfiedLinkError("cblas_sgemm not found in the loaded OpenBLAS");
            }
            fn = p.address();
            loadBridge();
        } catch (Throwable t) { // no bridge for this platform, or OpenBLAS not loaded
            failure = t;
            fn = 0;
        }
        FUNCTION = fn;
        FAILURE = failure;
    }

    private PinnedSgemm() {}

    private static void loadBridge() throws IOException {
        try (InputStream in = PinnedSgemm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("no " + RESOURCE + " in the jar (built without gcc, or another platform)");
            }
            Path file = Files.createTempFile("omomi_openblas", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toAbsolutePath().toString());
        }
    }

    /** Whether in-place calls work here; {@link #failure()} says why not. */
    static boolean available() {
        return FUNCTION != 0;
    }

    static Throwable failure() {
        return FAILURE;
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        sgemm(FUNCTION, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The kernel OpenBLAS runs ({@code openblas_get_corename()}), or null where the bridge or the
     * function is missing.
     */
    static String coreName() {
        if (FUNCTION == 0) {
            return null;
        }
        Pointer p = Loader.addressof("openblas_get_corename");
        return p == null || p.address() == 0 ? null : corename(p.address());
    }

    private static native String corename(long fn);

    private static native void sgemm(long fn, boolean transA, boolean transB, int m, int n, int k,
                                     float alpha, float[] a, int aOff, int lda,
                                     float[] b, int bOff, int ldb,
                                     float beta, float[] c, int cOff, int ldc);
}
