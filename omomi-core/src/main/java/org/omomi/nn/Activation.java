package org.omomi.nn;

import java.util.function.UnaryOperator;
import org.omomi.tensor.Tensor;

/**
 * A parameter-free module applying one elementwise (or per-axis) function: the nonlinearity
 * between layers. Each factory names the function and its PyTorch twin; the math lives on
 * {@link Tensor}.
 */
public final class Activation extends Module {

    private final String name;
    private final UnaryOperator<Tensor> f;

    private Activation(String name, UnaryOperator<Tensor> f) {
        this.name = name;
        this.f = f;
    }

    @Override
    public Tensor forward(Tensor x) {
        return f.apply(x);
    }

    /** σ(x) = 1/(1 + e⁻ˣ); {@code nn.Sigmoid}. */
    public static Activation sigmoid() {
        return new Activation("Sigmoid", Tensor::sigmoid);
    }

    /** tanh x; {@code nn.Tanh}. */
    public static Activation tanh() {
        return new Activation("Tanh", Tensor::tanh);
    }

    /** max(x, 0); {@code nn.ReLU}. */
    public static Activation relu() {
        return new Activation("ReLU", Tensor::relu);
    }

    /** max(x, 0) + slope·min(x, 0); {@code nn.LeakyReLU(negative_slope)}, default slope 0.01. */
    public static Activation leakyRelu(float slope) {
        return new Activation("LeakyReLU(" + slope + ")", x -> x.leakyRelu(slope));
    }

    /** x for x &gt; 0, else α(eˣ − 1); {@code nn.ELU(alpha)}, default α = 1. */
    public static Activation elu(float alpha) {
        return new Activation("ELU(" + alpha + ")", x -> x.elu(alpha));
    }

    /** x·Φ(x) with the exact normal CDF; {@code nn.GELU()}. */
    public static Activation gelu() {
        return new Activation("GELU", Tensor::gelu);
    }

    /** (1/β)·ln(1 + e^(βx)), linear past the threshold; {@code nn.Softplus(beta, threshold)}, defaults 1 and 20. */
    public static Activation softplus(float beta, float threshold) {
        return new Activation("Softplus(" + beta + ", " + threshold + ")", x -> x.softplus(beta, threshold));
    }

    /** Softmax along an axis; {@code nn.Softmax(dim)}. */
    public static Activation softmax(int axis) {
        return new Activation("Softmax(" + axis + ")", x -> x.softmax(axis));
    }

    /** log softmax along an axis; {@code nn.LogSoftmax(dim)}. */
    public static Activation logSoftmax(int axis) {
        return new Activation("LogSoftmax(" + axis + ")", x -> x.logSoftmax(axis));
    }

    /** The activation called {@code name} in model descriptions: sigmoid, tanh, relu, leaky_relu, elu, gelu, softplus. */
    public static Activation named(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "sigmoid": return sigmoid();
            case "tanh": return tanh();
            case "relu": return relu();
            case "leaky_relu": case "leakyrelu": return leakyRelu(0.01f);
            case "elu": return elu(1f);
            case "gelu": return gelu();
            case "softplus": return softplus(1f, 20f);
            default:
                throw new IllegalArgumentException("unknown activation '" + name + "'; known: sigmoid, tanh, relu, leaky_relu, elu, gelu, softplus");
        }
    }

    /** The name, for example "ReLU". */
    public String name() {
        return name;
    }

    @Override
    protected String describe() {
        return name + "()";
    }
}
