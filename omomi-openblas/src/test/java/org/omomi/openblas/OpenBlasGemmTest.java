package org.omomi.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.GemmConformance;

/** OpenBLAS meets the same GEMM contract as omomi's own kernels, and agrees with them. */
class OpenBlasGemmTest extends GemmConformance {

    @Override
    protected String backendName() {
        return "openblas";
    }

    @Override
    protected boolean deterministicAcrossThreads() {
        return false; // OpenBLAS splits sums differently for different thread counts
    }

    @Test
    void loadsAndIsPickedUpAutomatically() {
        assertNull(OpenBlasGemm.loadFailure(), "OpenBLAS did not load");
        // Where the build had gcc (Linux x86-64, as CI), arrays go to OpenBLAS in place.
        if (new java.io.File("/usr/bin/gcc").exists()) {
            assertNull(PinnedSgemm.failure(), "the pinning bridge did not load");
            assertTrue(((OpenBlasGemm) Gemm.backend()).pinned());
        }
        // Nothing chose a backend, so being on the class path is enough to be used.
        assertEquals("openblas", Gemm.backend().name());
    }

    @Test
    void namesTheKernelItRuns() {
        assumeTrue(PinnedSgemm.available(), "no JNI bridge: " + PinnedSgemm.failure());
        String name = OpenBlasGemm.coreName();
        assertNotNull(name);
        assertFalse(name.isBlank(), "an empty kernel name");
        String wanted = System.getenv("OPENBLAS_CORETYPE");
        if (wanted != null && !wanted.isBlank()) {
            assertTrue(name.equalsIgnoreCase(wanted), "OPENBLAS_CORETYPE=" + wanted + " but OpenBLAS runs " + name);
        }
    }

    @Test
    void nativeAndPureJavaPathsAgree() {
        int m = 128;
        int k = 784;
        int n = 512;
        Random r = new Random(1);
        float[] a = new float[m * k];
        float[] b = new float[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        float[] nativeC = new float[m * n];
        float[] vectorC = new float[m * n];
        float[] javaC = new float[m * n];
        // x · Wᵀ, the shape of a dense layer's forward pass.
        Gemm.sgemm(Gemm.backend("openblas"), false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, nativeC, 0, n);
        if (Gemm.names().contains("vector")) {
            Gemm.sgemm(Gemm.backend("vector"), false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, vectorC, 0, n);
        }
        Gemm.sgemm(Gemm.backend("java"), false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, javaC, 0, n);
        double tol = 1e-4 * Math.sqrt(k); // entries are sums of 784 unit-normal products, |c| ~ 28
        for (int i = 0; i < nativeC.length; i++) {
            assertEquals(nativeC[i], javaC[i], tol, "openblas vs java at " + i);
            if (Gemm.names().contains("vector")) {
                assertEquals(nativeC[i], vectorC[i], tol, "openblas vs vector at " + i);
            }
        }
    }
}
