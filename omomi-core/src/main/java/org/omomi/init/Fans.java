package org.omomi.init;

/**
 * Fan-in and fan-out of a weight tensor, as {@code torch.nn.init._calculate_fan_in_and_fan_out}
 * defines them: for a weight [out, in, k₁, k₂, …] the receptive field is k₁·k₂·…, fan-in is
 * in·receptive and fan-out is out·receptive. A Dense weight [out, in] has fan-in = in, fan-out = out.
 */
public record Fans(int fanIn, int fanOut) {

    public static Fans of(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fan-in and fan-out need a tensor with at least 2 dimensions, got " + java.util.Arrays.toString(shape));
        }
        int receptive = 1;
        for (int d = 2; d < shape.length; d++) {
            receptive *= shape[d];
        }
        return new Fans(shape[1] * receptive, shape[0] * receptive);
    }

    /** The fan a mode selects. */
    public double select(FanMode mode) {
        switch (mode) {
            case FAN_IN: return fanIn;
            case FAN_OUT: return fanOut;
            default: return (fanIn + fanOut) / 2.0;
        }
    }

    /** Which fan scales the variance. */
    public enum FanMode { FAN_IN, FAN_OUT, FAN_AVG }
}
