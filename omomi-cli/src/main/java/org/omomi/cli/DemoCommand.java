package org.omomi.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.omomi.kernel.Gemm;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A first look at weights, until the tour exists: one neuron with the article's ad-click weights,
 * its gradient by autograd beside a finite difference, and a 2-2-1 network learning XOR by
 * gradient descent.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"One neuron, its gradient, and a small network learning XOR, step by step."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", defaultValue = "3000", description = "Gradient-descent steps on XOR (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "0.5", description = "Learning rate η (default: ${DEFAULT-VALUE}).")
    float lr;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        PrintWriter out = spec.commandLine().getOut();
        neuron(out);
        xor(out);
        out.printf("%nGEMM backend: %s (available: %s)%n", Gemm.backend().name(), String.join(", ", Gemm.names()));
        out.flush();
        return 0;
    }

    private static void neuron(PrintWriter out) {
        out.println("1. One neuron: z = w·x + b, y = σ(z)");
        Tensor x = Tensor.vector(0.3f, 0.8f, 0.5f); // user age (scaled), interest match, ad frequency
        Tensor w = Tensor.vector(0.1f, 0.9f, 0.4f).requiresGrad(true);
        Tensor b = Tensor.scalar(-0.5f).requiresGrad(true);
        Tensor z = w.mul(x).sum().add(b);
        Tensor y = z.sigmoid();
        out.printf("   x = %s (age, interest match, frequency)%n", fmt(x.toArray()));
        out.printf("   w = %s, b = %.2f%n", fmt(w.toArray()), b.item());
        out.printf("   z = %.4f, click probability σ(z) = %.4f%n", z.item(), y.item());
        y.backward();
        float[] grad = w.grad().toArray();
        out.println("2. Backpropagation: ∂σ(z)/∂w by autograd and by a finite difference");
        float h = 1e-3f;
        float[] wv = w.toArray();
        for (int i = 0; i < 3; i++) {
            float[] up = wv.clone();
            float[] down = wv.clone();
            up[i] += h;
            down[i] -= h;
            double fd = (output(x, up) - output(x, down)) / (2.0 * h);
            out.printf("   w%d: autograd %.6f, finite difference %.6f%n", i + 1, grad[i], fd);
        }
    }

    private static double output(Tensor x, float[] w) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return Tensor.vector(w).mul(x).sum().add(-0.5f).sigmoid().item();
        }
    }

    private void xor(PrintWriter out) {
        out.printf("3. A 2-2-1 network learns XOR by gradient descent (η = %s, seed %d)%n", lr, seed);
        Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor t = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
        Rng rng = new Rng(seed);
        // Xavier-uniform limits for tanh (gain 5/3) and sigmoid layers of fan 2+2 and 2+1.
        Tensor w1 = Tensor.uniform(rng, -1.443f, 1.443f, 2, 2).requiresGrad(true);
        Tensor b1 = Tensor.zeros(2).requiresGrad(true);
        Tensor w2 = Tensor.uniform(rng, -1.414f, 1.414f, 1, 2).requiresGrad(true);
        Tensor b2 = Tensor.zeros(1).requiresGrad(true);
        Tensor[] params = {w1, b1, w2, b2};
        Tensor p = null;
        for (int step = 1; step <= steps; step++) {
            Tensor hidden = x.matmul(w1.t()).add(b1).tanh();
            p = hidden.matmul(w2.t()).add(b2).sigmoid().clamp(1e-7f, 1 - 1e-7f);
            // Binary cross-entropy: −[t log p + (1 − t) log(1 − p)], averaged.
            Tensor loss = t.mul(p.log()).add(t.neg().add(1f).mul(p.neg().add(1f).log())).mean().neg();
            loss.backward();
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                for (Tensor param : params) {
                    param.copyFrom(param.sub(param.grad().mul(lr))); // w ← w − η ∂L/∂w
                    param.clearGrad();
                }
            }
            if (step == 1 || step % Math.max(1, steps / 6) == 0 || step == steps) {
                out.printf("   step %5d  loss %.5f%n", step, loss.item());
            }
        }
        float[] pv = p.toArray();
        out.printf("   predictions for (0,0) (0,1) (1,0) (1,1): %s (targets 0 1 1 0)%n", fmt(pv));
        out.printf("   learned weights: W1 = %s, b1 = %s, W2 = %s, b2 = %s%n",
                fmt(w1.toArray()), fmt(b1.toArray()), fmt(w2.toArray()), fmt(b2.toArray()));
    }

    private static String fmt(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(String.format("%.3f", v[i]));
        }
        return sb.append(']').toString();
    }
}
