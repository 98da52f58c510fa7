package org.omomi.kernel;

class JavaGemmTest extends GemmConformance {
    @Override
    protected String backendName() {
        return "java";
    }
}
