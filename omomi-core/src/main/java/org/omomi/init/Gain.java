package org.omomi.init;

/**
 * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}: 1 for linear,
 * convolution and sigmoid; 5/3 for tanh; √2 for ReLU; √(2 / (1 + a²)) for LeakyReLU with negative
 * slope a; 3/4 for SELU. The gain multiplies the standard deviation that keeps the variance of
 * activations steady from layer to layer.
 */
public final class Gain {

    private Gain() {}

    public static double linear() {
        return 1.0;
    }

    public static double sigmoid() {
        return 1.0;
    }

    public static double tanh() {
        return 5.0 / 3;
    }

    public static double relu() {
        return Math.sqrt(2.0);
    }

    public static double leakyRelu(double negativeSlope) {
        return Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
    }

    public static double selu() {
        return 3.0 / 4;
    }

    /** By name: linear, sigmoid, tanh, relu, leaky_relu (slope 0.01), selu. */
    public static double of(String nonlinearity) {
        switch (nonlinearity) {
            case "linear": case "conv1d": case "conv2d": case "conv3d": return linear();
            case "sigmoid": return sigmoid();
            case "tanh": return tanh();
            case "relu": return relu();
            case "leaky_relu": return leakyRelu(0.01);
            case "selu": return selu();
            default: throw new IllegalArgumentException("unknown nonlinearity '" + nonlinearity + "'");
        }
    }
}
