package org.omomi.openblas;

import org.omomi.kernel.GemmBackend;
import org.omomi.kernel.GemmConformance;

/** The copying path, used where the pinning bridge was not built, meets the same contract. */
class CopyingOpenBlasGemmTest extends GemmConformance {

    @Override
    protected String backendName() {
        return "openblas";
    }

    @Override
    protected GemmBackend backend() {
        super.backend(); // skips when OpenBLAS is not loadable
        OpenBlasGemm copying = new OpenBlasGemm(false);
        org.junit.jupiter.api.Assertions.assertFalse(copying.pinned());
        return copying;
    }

    @Override
    protected boolean deterministicAcrossThreads() {
        return false;
    }
}
