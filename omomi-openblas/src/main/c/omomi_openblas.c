/*
 * Zero-copy bridge from Java float[] to OpenBLAS's cblas_sgemm.
 *
 * omomi keeps tensors in Java arrays. The JNI bindings that org.bytedeco generates copy every
 * array argument in and out; this function instead pins the arrays with GetPrimitiveArrayCritical,
 * which on HotSpot hands out the array's own address, and calls cblas_sgemm on them in place.
 * Between the Get and the Release no other JNI function may be called, and the garbage collector
 * waits (JDK 17) or leaves the pinned regions alone (JDK 21+), so the call must be short and must
 * not block on Java: a GEMM is exactly that.
 *
 * The address of cblas_sgemm comes from Java (org.bytedeco's Loader has already loaded OpenBLAS),
 * so this library links against nothing but libc.
 */
#include <jni.h>
#include <stdint.h>

typedef void (*cblas_sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k,
                               float alpha, const float *a, int lda, const float *b, int ldb,
                               float beta, float *c, int ldc);

enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };

JNIEXPORT void JNICALL Java_org_omomi_openblas_PinnedSgemm_sgemm(
        JNIEnv *env, jclass cls, jlong fn, jboolean trans_a, jboolean trans_b,
        jint m, jint n, jint k, jfloat alpha,
        jfloatArray a, jint a_off, jint lda, jfloatArray b, jint b_off, jint ldb,
        jfloat beta, jfloatArray c, jint c_off, jint ldc) {
    (void) cls;
    float *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    float *pb = pa == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    float *pc = pb == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    if (pc != NULL) {
        ((cblas_sgemm_fn) (intptr_t) fn)(CBLAS_ROW_MAJOR,
                trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS, trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS,
                m, n, k, alpha, pa + a_off, lda, pb + b_off, ldb, beta, pc + c_off, ldc);
    }
    /* Release in reverse order; A and B were only read, so nothing needs writing back. */
    if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    if (pb != NULL) (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    if (pa != NULL) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    if (pc == NULL) {
        jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (oom != NULL) (*env)->ThrowNew(env, oom, "could not pin arrays for cblas_sgemm");
    }
}

typedef const char *(*corename_fn)(void);

/*
 * The name of the kernel OpenBLAS chose at load time (openblas_get_corename, e.g. "Haswell", "Zen",
 * "SkylakeX"): benchmark figures are recorded with it, since OpenBLAS's choice can differ from the
 * CPU (OPENBLAS_CORETYPE overrides it). The address comes from Java, as cblas_sgemm's does.
 */
JNIEXPORT jstring JNICALL Java_org_omomi_openblas_PinnedSgemm_corename(JNIEnv *env, jclass cls, jlong fn) {
    (void) cls;
    const char *name = ((corename_fn) (intptr_t) fn)();
    return (*env)->NewStringUTF(env, name == NULL ? "" : name);
}
