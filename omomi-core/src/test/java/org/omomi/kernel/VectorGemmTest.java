package org.omomi.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VectorGemmTest extends GemmConformance {
    @Override
    protected String backendName() {
        return "vector";
    }

    @Test
    void theTestJvmHasTheVectorApi() {
        // Surefire passes --add-modules jdk.incubator.vector; without it this suite would skip silently.
        assertTrue(Gemm.names().contains("vector"), "vector backend missing; backends: " + Gemm.names());
    }
}
