package org.omomi.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.omomi.io.Predictor;
import org.omomi.io.SavedModel;
import org.omomi.kernel.Parallel;
import org.omomi.nn.InferencePlan;
import org.omomi.nn.Module;
import org.omomi.nn.ModelSpec;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload B4 of BENCHMARKS-SPEC.md: the B2 MLP (784-512-256-10, ReLU) in inference mode, batch 1,
 * one thread, as {@code latency_torch.py} measures PyTorch. Sample-time mode gives the median and
 * the 99th percentile of single calls.
 *
 * <ul>
 * <li>{@code predictorOutputs}: the prediction server's path, {@link Predictor#outputs} (raw
 *     outputs, as {@code model(x)} in the reference), through the model's {@link InferencePlan};</li>
 * <li>{@code predict}: the same plus softmax probabilities and the predicted class;</li>
 * <li>{@code moduleForward}: the module under {@link Autograd#noGrad()}, through Tensor.linear and
 *     the GEMM, which packs every weight on every call: what a batch of one cost before the plan.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Domomi.threads=1"})
public class InferenceBenchmark {

    private Module model;
    private Predictor predictor;
    private Inputs one;
    private Tensor x;

    @Setup
    public void setUp() {
        Parallel.setThreads(1);
        ModelSpec spec = ModelSpec.mlp(784, new int[] {512, 256}, "relu", 10);
        Rng rng = new Rng(0);
        model = spec.build(rng);
        model.eval();
        predictor = SavedModel.of(spec, model, Head.multiclass(10), List.of(), null, null).predictor();
        x = Tensor.rand(rng, 1, 784);
        one = Inputs.of(x);
    }

    @Benchmark
    public Tensor predictorOutputs() {
        return predictor.outputs(one);
    }

    @Benchmark
    public Predictor.Prediction predict() {
        return predictor.predict(one);
    }

    @Benchmark
    public Tensor moduleForward() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return model.call(x);
        }
    }
}
