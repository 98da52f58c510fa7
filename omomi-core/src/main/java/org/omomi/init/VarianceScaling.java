package org.omomi.init;

import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * The one initializer behind Xavier/Glorot, He/Kaiming and LeCun: values with variance
 * {@code scale / fan}, where the fan is fan-in, fan-out or their average ({@link Fans}).
 *
 * <ul>
 * <li>normal: N(0, σ²) with σ = √(scale / fan);</li>
 * <li>uniform: U(−a, a) with a = √(3·scale / fan), which has the same variance;</li>
 * <li>truncated normal: N(0, σ'²) cut at ±2σ', σ' = σ / 0.87962566103423978 so the variance after
 *     cutting is still scale / fan (Keras's definition).</li>
 * </ul>
 *
 * With scale = gain², these are PyTorch's formulas exactly: {@code xavier_uniform_} is
 * (gain², FAN_AVG, uniform), giving a = gain·√(6 / (fan_in + fan_out)); {@code xavier_normal_} is
 * (gain², FAN_AVG, normal), σ = gain·√(2 / (fan_in + fan_out)); {@code kaiming_uniform_} is
 * (gain², mode, uniform), a = gain·√(3 / fan); {@code kaiming_normal_} is (gain², mode, normal),
 * σ = gain / √fan. LeCun is (1, FAN_IN, …).
 */
public record VarianceScaling(double scale, Fans.FanMode mode, Distribution distribution) implements Initializer {

    /** The shape of the distribution. */
    public enum Distribution { NORMAL, UNIFORM, TRUNCATED_NORMAL }

    private static final double TRUNCATION_STD = 0.87962566103423978; // std of N(0,1) cut at ±2

    public VarianceScaling {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("VarianceScaling: scale must be positive, got " + scale);
        }
    }

    /** The standard deviation the values will have for a weight of this shape. */
    public double std(int[] shape) {
        return Math.sqrt(scale / Fans.of(shape).select(mode));
    }

    @Override
    public void initialize(Tensor t, Rng rng) {
        double std = std(t.shape());
        Tensor v;
        switch (distribution) {
            case NORMAL:
                v = Tensor.normal(rng, 0f, (float) std, t.shape());
                break;
            case UNIFORM:
                float a = (float) (Math.sqrt(3.0) * std);
                v = Tensor.uniform(rng, -a, a, t.shape());
                break;
            default:
                float s = (float) (std / TRUNCATION_STD);
                v = Tensor.truncatedNormal(rng, 0f, s, -2 * s, 2 * s, t.shape());
        }
        Init.set(t, v);
    }
}
