package org.omomi.init;

import org.omomi.init.Fans.FanMode;
import org.omomi.init.VarianceScaling.Distribution;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;

/**
 * The named initializers, with PyTorch's definitions ({@code torch.nn.init}).
 *
 * <p>Why initialization matters: with weights too small, activations shrink layer after layer and
 * gradients vanish; too large, and sigmoid/tanh saturate or ReLU activations explode. Scaling the
 * variance by the fan keeps it steady across layers: Xavier/Glorot (gain² / fan_avg) for sigmoid
 * and tanh, He/Kaiming (2 / fan_in) for ReLU, whose output has half the variance of its input.
 *
 * <p>Defaults by kind of parameter: Dense and convolution weights use PyTorch's default
 * ({@link #torchDefaultWeight()}), their biases {@link #torchDefaultBias(int)}; embeddings
 * N(0, 1); normalization scales {@link #ones()} and shifts {@link #zeros()}.
 */
public final class Init {

    private Init() {}

    /** Copies {@code values} into {@code t} without recording anything. */
    static void set(Tensor t, Tensor values) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            t.copyFrom(values);
        }
    }

    public static Initializer zeros() {
        return constant(0f);
    }

    public static Initializer ones() {
        return constant(1f);
    }

    public static Initializer constant(float value) {
        return (t, rng) -> {
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                t.fill(value);
            }
        };
    }

    /** N(mean, std²). */
    public static Initializer normal(float mean, float std) {
        return (t, rng) -> set(t, Tensor.normal(rng, mean, std, t.shape()));
    }

    /** U(lo, hi). */
    public static Initializer uniform(float lo, float hi) {
        return (t, rng) -> set(t, Tensor.uniform(rng, lo, hi, t.shape()));
    }

    /** N(mean, std²) restricted to [a, b] (absolute bounds, as {@code trunc_normal_}). */
    public static Initializer truncatedNormal(float mean, float std, float a, float b) {
        return (t, rng) -> set(t, Tensor.truncatedNormal(rng, mean, std, a, b, t.shape()));
    }

    /** Xavier/Glorot uniform with gain 1: U(±√(6 / (fan_in + fan_out))). */
    public static VarianceScaling xavierUniform() {
        return xavierUniform(1.0);
    }

    /** Xavier/Glorot uniform: U(±gain·√(6 / (fan_in + fan_out))). Use {@link Gain#tanh()} for tanh. */
    public static VarianceScaling xavierUniform(double gain) {
        return new VarianceScaling(gain * gain, FanMode.FAN_AVG, Distribution.UNIFORM);
    }

    /** Xavier/Glorot normal with gain 1. */
    public static VarianceScaling xavierNormal() {
        return xavierNormal(1.0);
    }

    /** Xavier/Glorot normal: N(0, gain²·2 / (fan_in + fan_out)). */
    public static VarianceScaling xavierNormal(double gain) {
        return new VarianceScaling(gain * gain, FanMode.FAN_AVG, Distribution.NORMAL);
    }

    /** He/Kaiming uniform: U(±gain·√(3 / fan)). {@code kaiming_uniform_(mode, nonlinearity)}. */
    public static VarianceScaling kaimingUniform(double gain, FanMode mode) {
        return new VarianceScaling(gain * gain, mode, Distribution.UNIFORM);
    }

    /** He/Kaiming normal: N(0, gain² / fan). {@code kaiming_normal_(mode, nonlinearity)}. */
    public static VarianceScaling kaimingNormal(double gain, FanMode mode) {
        return new VarianceScaling(gain * gain, mode, Distribution.NORMAL);
    }

    /** He normal for ReLU: N(0, 2 / fan_in). */
    public static VarianceScaling heNormal() {
        return kaimingNormal(Gain.relu(), FanMode.FAN_IN);
    }

    /** He uniform for ReLU: U(±√(6 / fan_in)). */
    public static VarianceScaling heUniform() {
        return kaimingUniform(Gain.relu(), FanMode.FAN_IN);
    }

    /** LeCun normal: N(0, 1 / fan_in) (for SELU networks). */
    public static VarianceScaling lecunNormal() {
        return new VarianceScaling(1.0, FanMode.FAN_IN, Distribution.NORMAL);
    }

    /** LeCun uniform: U(±√(3 / fan_in)). */
    public static VarianceScaling lecunUniform() {
        return new VarianceScaling(1.0, FanMode.FAN_IN, Distribution.UNIFORM);
    }

    /** A (semi-)orthogonal matrix times {@code gain}. */
    public static Orthogonal orthogonal(double gain) {
        return new Orthogonal(gain);
    }

    /**
     * PyTorch's default for {@code nn.Linear} and {@code nn.Conv2d} weights,
     * {@code kaiming_uniform_(a=√5)}: gain² = 2 / (1 + 5) = 1/3, so U(±1/√fan_in).
     */
    public static VarianceScaling torchDefaultWeight() {
        return kaimingUniform(Gain.leakyRelu(Math.sqrt(5)), FanMode.FAN_IN);
    }

    /** PyTorch's default for the bias of a layer with this fan-in: U(±1/√fan_in). */
    public static Initializer torchDefaultBias(int fanIn) {
        float bound = fanIn > 0 ? (float) (1 / Math.sqrt(fanIn)) : 0f;
        return uniform(-bound, bound);
    }
}
