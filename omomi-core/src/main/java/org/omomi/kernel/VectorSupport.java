package org.omomi.kernel;

/**
 * Finds out whether the incubating Vector API can be used, without touching its classes when it
 * cannot: loading {@code jdk.incubator.vector} types in a JVM started without
 * {@code --add-modules jdk.incubator.vector} throws {@link NoClassDefFoundError}.
 */
final class VectorSupport {

    private VectorSupport() {}

    /** Whether this JVM resolved the Vector API module and it was not switched off. */
    static boolean present() {
        if ("false".equalsIgnoreCase(System.getProperty("omomi.vector", "true"))) {
            return false;
        }
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The Vector API GEMM, or null when the module is absent or the class cannot load. */
    static GemmBackend gemm() {
        if (!present()) {
            return null;
        }
        try {
            return (GemmBackend) Class.forName("org.omomi.kernel.VectorGemm").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
