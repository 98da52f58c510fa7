package org.omomi.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every differentiable operation's backward against central finite differences. */
class GradientCheckTest {

    /** One check: the public method it covers, a label, the function and its inputs. */
    record Case(String op, String label, Function<Tensor[], Tensor> f, Tensor... inputs) {
        @Override
        public String toString() {
            return op + " " + label;
        }
    }

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), shape);
    }

    /** Values in [0.5, 2): safe for log, sqrt, division, pow. */
    private static Tensor positive(long seed, int... shape) {
        return Tensor.uniform(new Rng(seed), 0.5f, 2f, shape);
    }

    /** |x| in [0.2, 1.5) with random signs: away from the kinks of relu, abs, sign. */
    private static Tensor awayFromZero(long seed, int... shape) {
        Rng rng = new Rng(seed);
        Tensor mag = Tensor.uniform(rng, 0.2f, 1.5f, shape);
        Tensor sign = Tensor.bernoulli(rng, 0.5f, shape).mul(2f).sub(1f);
        return mag.mul(sign);
    }

    private static Case c(String op, String label, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return new Case(op, label, f, inputs);
    }

    static Stream<Case> cases() {
        List<Case> cs = new ArrayList<>();
        // unary
        cs.add(c("neg", "", x -> x[0].neg(), randn(1, 3, 4)));
        cs.add(c("exp", "", x -> x[0].exp(), randn(2, 3, 4)));
        cs.add(c("log", "", x -> x[0].log(), positive(3, 3, 4)));
        cs.add(c("log1p", "", x -> x[0].log1p(), positive(4, 5)));
        cs.add(c("sqrt", "", x -> x[0].sqrt(), positive(5, 3, 4)));
        cs.add(c("abs", "", x -> x[0].abs(), awayFromZero(6, 3, 4)));
        cs.add(c("relu", "", x -> x[0].relu(), awayFromZero(7, 3, 4)));
        cs.add(c("sigmoid", "", x -> x[0].sigmoid(), randn(8, 3, 4)));
        cs.add(c("tanh", "", x -> x[0].tanh(), randn(9, 3, 4)));
        cs.add(c("erf", "", x -> x[0].erf(), randn(10, 3, 4)));
        cs.add(c("pow", "x^3", x -> x[0].pow(3f), randn(11, 3, 4)));
        cs.add(c("pow", "x^-1.5", x -> x[0].pow(-1.5f), positive(12, 3, 4)));
        cs.add(c("clamp", "", x -> x[0].clamp(-0.5f, 0.7f), awayFromZero(13, 4, 5).mul(0.9f)));
        cs.add(c("clampMin", "", x -> x[0].clampMin(0.1f), awayFromZero(14, 4, 5)));
        cs.add(c("clampMax", "", x -> x[0].clampMax(0.1f), awayFromZero(15, 4, 5)));
        cs.add(c("leakyRelu", "", x -> x[0].leakyRelu(0.1f), awayFromZero(92, 3, 4)));
        cs.add(c("elu", "", x -> x[0].elu(1.5f), awayFromZero(93, 3, 4)));
        cs.add(c("gelu", "", x -> x[0].gelu(), randn(94, 3, 4)));
        cs.add(c("softplus", "smooth", x -> x[0].softplus(2f, 20f), randn(95, 3, 4)));
        cs.add(c("softplus", "linear past threshold", x -> x[0].softplus(1f, 1f), Tensor.uniform(new Rng(98), 1.5f, 3f, 3, 4)));
        cs.add(c("binaryCrossEntropy", "", x -> x[0].binaryCrossEntropy(x[1]),
                Tensor.uniform(new Rng(96), 0.1f, 0.9f, 3, 4), Tensor.rand(new Rng(97), 3, 4)));
        cs.add(c("binaryCrossEntropyWithLogits", "", x -> x[0].binaryCrossEntropyWithLogits(x[1]),
                randn(99, 3, 4).mul(3f), Tensor.rand(new Rng(100), 3, 4)));
        cs.add(c("pairwiseInteractions", "", x -> x[0].pairwiseInteractions(), randn(101, 3, 4, 2)));
        cs.add(c("pairwiseInteractions", "one field", x -> x[0].pairwiseInteractions(), randn(102, 2, 1, 3)));
        // scalar arithmetic
        cs.add(c("add", "scalar", x -> x[0].add(2.5f), randn(16, 3)));
        cs.add(c("sub", "scalar", x -> x[0].sub(2.5f), randn(17, 3)));
        cs.add(c("mul", "scalar", x -> x[0].mul(-3f), randn(18, 3)));
        cs.add(c("div", "scalar", x -> x[0].div(3f), randn(19, 3)));
        // binary, with broadcasting in both directions
        cs.add(c("add", "broadcast", x -> x[0].add(x[1]), randn(20, 3, 4), randn(21, 4)));
        cs.add(c("sub", "broadcast", x -> x[0].sub(x[1]), randn(22, 3, 1), randn(23, 1, 4)));
        cs.add(c("mul", "broadcast", x -> x[0].mul(x[1]), randn(24, 2, 3, 4), randn(25, 3, 1)));
        cs.add(c("div", "broadcast", x -> x[0].div(x[1]), randn(26, 3, 4), positive(27, 4)));
        cs.add(c("pow", "tensor", x -> x[0].pow(x[1]), positive(28, 3, 4), randn(29, 3, 4)));
        cs.add(c("maximum", "", x -> x[0].maximum(x[1]), randn(30, 3, 4), randn(31, 3, 4)));
        cs.add(c("minimum", "", x -> x[0].minimum(x[1]), randn(32, 3, 4), randn(33, 4)));
        cs.add(c("where", "", x -> Tensor.where(x[0].detach().gt(0f), x[0], x[1]), randn(34, 3, 4), randn(35, 4)));
        // reductions
        cs.add(c("sum", "all", x -> x[0].sum(), randn(36, 3, 4)));
        cs.add(c("sum", "axis", x -> x[0].sum(1, false), randn(37, 2, 3, 4)));
        cs.add(c("sum", "axes keepDims", x -> x[0].sum(new int[] {0, 2}, true), randn(38, 2, 3, 4)));
        cs.add(c("mean", "all", x -> x[0].mean(), randn(39, 3, 4)));
        cs.add(c("mean", "axis", x -> x[0].mean(-1, true), randn(40, 3, 4)));
        cs.add(c("mean", "axes", x -> x[0].mean(new int[] {0, 1}, false), randn(41, 2, 3, 4)));
        cs.add(c("max", "all", x -> x[0].max(), randn(42, 3, 4)));
        cs.add(c("max", "axis", x -> x[0].max(1, false), randn(43, 3, 4)));
        cs.add(c("max", "axes", x -> x[0].max(new int[] {0, 2}, true), randn(44, 2, 3, 4)));
        cs.add(c("min", "all", x -> x[0].min(), randn(45, 3, 4)));
        cs.add(c("min", "axis", x -> x[0].min(0, true), randn(46, 3, 4)));
        cs.add(c("min", "axes", x -> x[0].min(new int[] {1}, false), randn(47, 3, 4)));
        cs.add(c("var", "unbiased", x -> x[0].var(new int[] {1}, 1, false), randn(48, 3, 5)));
        cs.add(c("var", "biased all", x -> x[0].var(new int[0], 0, true), randn(49, 3, 5)));
        cs.add(c("std", "", x -> x[0].std(new int[] {0}, 1, false), randn(50, 4, 3)));
        cs.add(c("logSumExp", "", x -> x[0].logSumExp(1, false), randn(51, 3, 5)));
        cs.add(c("softmax", "", x -> x[0].softmax(-1), randn(52, 3, 5)));
        cs.add(c("logSoftmax", "", x -> x[0].logSoftmax(0), randn(53, 3, 5)));
        // views and movement
        cs.add(c("reshape", "", x -> x[0].reshape(4, -1).mul(x[0].reshape(4, 3)), randn(54, 3, 4)));
        cs.add(c("flatten", "all", x -> x[0].flatten().exp(), randn(55, 2, 3)));
        cs.add(c("flatten", "from axis", x -> x[0].flatten(1).exp(), randn(56, 2, 3, 2)));
        cs.add(c("unsqueeze", "", x -> x[0].unsqueeze(1).exp(), randn(57, 2, 3)));
        cs.add(c("squeeze", "", x -> x[0].squeeze(1).exp(), randn(58, 2, 1, 3)));
        cs.add(c("permute", "", x -> x[0].permute(2, 0, 1).mul(randn(59, 4, 2, 3)), randn(60, 2, 3, 4)));
        cs.add(c("transpose", "", x -> x[0].transpose(0, 2).exp(), randn(61, 2, 3, 4)));
        cs.add(c("t", "", x -> x[0].t().matmul(x[0]), randn(62, 3, 2)));
        cs.add(c("expand", "", x -> x[0].expand(2, 3, 4).exp(), randn(63, 3, 1)));
        cs.add(c("slice", "", x -> x[0].slice(1, 1, 3).exp(), randn(64, 3, 4)));
        cs.add(c("slice", "step", x -> x[0].slice(0, 0, 5, 2).exp(), randn(65, 5, 2)));
        cs.add(c("select", "", x -> x[0].select(1, -1).exp(), randn(66, 3, 4)));
        cs.add(c("contiguous", "", x -> x[0].t().contiguous().exp(), randn(67, 3, 4)));
        cs.add(c("pad", "", x -> x[0].pad(new int[] {1, 0}, new int[] {0, 2}, 0.5f).exp(), randn(68, 2, 3)));
        cs.add(c("cat", "", x -> Tensor.cat(1, x[0], x[1]).exp(), randn(69, 2, 3), randn(70, 2, 2)));
        cs.add(c("stack", "", x -> Tensor.stack(0, x[0], x[1]).exp(), randn(71, 2, 3), randn(72, 2, 3)));
        cs.add(c("indexSelect", "repeats", x -> x[0].indexSelect(0, new int[] {2, 0, 2, 1}), randn(73, 3, 4)));
        IntTensor ids = IntTensor.of(new int[] {2, 0, 2, 4, 1, 2}, 2, 3);
        cs.add(c("embedding", "dense, repeats", x -> Tensor.embedding(ids, x[0], false), randn(130, 5, 3)));
        // The sparse gradient is made dense when asked for by Autograd.grad, as GradCheck does.
        cs.add(c("embedding", "sparse, repeats", x -> Tensor.embedding(ids, x[0], true), randn(131, 5, 3)));
        cs.add(c("gather", "", x -> x[0].gather(1, Tensor.of(new float[] {0, 2, 2, 1, 0, 0}, 2, 3)), randn(74, 2, 4)));
        // matrix products
        cs.add(c("matmul", "2-D", x -> x[0].matmul(x[1]), randn(75, 3, 4), randn(76, 4, 5)));
        cs.add(c("matmul", "transposed views", x -> x[0].t().matmul(x[1].t()), randn(77, 4, 3), randn(78, 5, 4)));
        cs.add(c("matmul", "batched broadcast", x -> x[0].matmul(x[1]), randn(79, 2, 3, 4), randn(80, 4, 2)));
        cs.add(c("matmul", "vector", x -> x[0].matmul(x[1]), randn(81, 4), randn(82, 4, 3)));
        cs.add(c("matmul", "dot", x -> x[0].matmul(x[1]), randn(83, 4), randn(84, 4)));
        cs.add(c("linear", "with bias", x -> x[0].linear(x[1], x[2]), randn(100, 4, 3), randn(101, 5, 3), randn(102, 5)));
        cs.add(c("linear", "batched, no bias", x -> x[0].linear(x[1], null), randn(103, 2, 4, 3), randn(104, 5, 3)));
        // convolution and pooling
        cs.add(c("conv2d", "3x3 pad 1 bias", x -> x[0].conv2d(x[1], x[2], 1, 1), randn(110, 2, 3, 5, 5), randn(111, 4, 3, 3, 3), randn(112, 4)));
        cs.add(c("conv2d", "stride 2 dilation 2 groups 2 no bias", x -> x[0].conv2d(x[1], null, new int[] {2, 1},
                new int[] {1, 2}, new int[] {2, 1}, 2), randn(113, 2, 4, 7, 6), randn(114, 6, 2, 3, 2)));
        cs.add(c("conv2dReluMaxPool2", "3x3 pad 1 bias", x -> x[0].conv2dReluMaxPool2(x[1], x[2], new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, 1), randn(140, 2, 3, 6, 6), randn(141, 4, 3, 3, 3), randn(142, 4)));
        cs.add(c("conv2dReluMaxPool2", "odd 5x4 output, stride 2, groups 2, no bias", x -> x[0].conv2dReluMaxPool2(x[1], null,
                new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 2), randn(129, 2, 4, 9, 8), randn(130, 6, 2, 3, 3)));
        cs.add(c("maxPool2d", "2x2", x -> x[0].maxPool2d(2, 2, 0), randn(115, 2, 3, 4, 6)));
        cs.add(c("maxPool2d", "3x3 stride 2 pad 1", x -> x[0].maxPool2d(3, 2, 1), randn(116, 1, 2, 7, 7)));
        cs.add(c("avgPool2d", "3x3 stride 2 pad 1 counting padding", x -> x[0].avgPool2d(3, 2, 1, true), randn(117, 2, 2, 6, 5)));
        cs.add(c("avgPool2d", "not counting padding", x -> x[0].avgPool2d(3, 2, 1, false), randn(118, 1, 2, 6, 5)));
        cs.add(c("adaptiveAvgPool2d", "7x5 to 3x2", x -> x[0].adaptiveAvgPool2d(3, 2), randn(119, 2, 2, 7, 5)));
        cs.add(c("batchNorm", "training, 4-D", x -> x[0].batchNorm(x[1], x[2], Tensor.zeros(3), Tensor.ones(3), true, 0.1f, 1e-5f),
                randn(120, 4, 3, 3, 2), randn(121, 3), randn(122, 3)));
        cs.add(c("batchNorm", "evaluation, 2-D", x -> x[0].batchNorm(x[1], x[2], Tensor.vector(0.1f, -0.2f, 0.3f),
                Tensor.vector(0.5f, 1.5f, 2f), false, 0.1f, 1e-5f), randn(123, 5, 3), randn(124, 3), randn(125, 3)));
        // a composite: a small two-layer network with a loss
        cs.add(c("matmul", "mlp", x -> x[0].matmul(x[1].t()).add(x[2]).tanh().matmul(x[3]).logSoftmax(1).mean(),
                randn(85, 4, 3), randn(86, 5, 3), randn(87, 5), randn(88, 5, 2)));
        return cs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMatchesFiniteDifferences(Case c) {
        GradCheck.Report report = GradCheck.standard().check(c.f(), c.inputs());
        assertTrue(report.passed(), c + ": " + report);
    }

    /** Tensor methods that return a tensor but have no gradient to check, and why. */
    private static final Set<String> NOT_DIFFERENTIABLE = Set.of(
            // comparisons, indicators and indices are piecewise constant
            "gt", "ge", "lt", "le", "eq", "ne", "sign", "isNaN", "isFinite", "argmax",
            // creation and graph plumbing
            "of", "vector", "scalar", "wrap", "zeros", "ones", "full", "arange", "linspace", "eye",
            "rand", "uniform", "randn", "normal", "truncatedNormal", "bernoulli", "oneHot",
            "detach", "requiresGrad", "retainGrad", "grad", "fill", "copyFrom");

    @Test
    void everyDifferentiableOperationHasACase() {
        Set<String> covered = new TreeSet<>();
        cases().forEach(c -> covered.add(c.op()));
        Set<String> missing = new TreeSet<>();
        for (Method m : Tensor.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Tensor.class
                    && !NOT_DIFFERENTIABLE.contains(m.getName()) && !covered.contains(m.getName())) {
                missing.add(m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "operations without a gradient check: " + missing);
    }

    @Test
    void aWrongBackwardIsCaught() {
        // exp whose backward forgets the factor exp(x): d/dx e^x computed as 1.
        Function<Tensor[], Tensor> missingFactor = x -> {
            Tensor out = x[0].detach().exp();
            return Tensor.record(out, "badExp", g -> new Tensor[] {g}, x[0]);
        };
        GradCheck.Report bad = GradCheck.standard().check(missingFactor, randn(90, 3, 4));
        assertFalse(bad.passed(), "a backward missing its factor passed: " + bad);

        // A transpose whose backward forgets to transpose back (square, so shapes still agree).
        Function<Tensor[], Tensor> wrongIndex = x -> {
            Tensor out = x[0].detach().t().contiguous();
            return Tensor.record(out, "badTranspose", g -> new Tensor[] {g}, x[0]);
        };
        GradCheck.Report swapped = GradCheck.standard().check(wrongIndex, randn(91, 3, 3));
        assertFalse(swapped.passed(), "a backward with swapped indices passed: " + swapped);

        // The same two operations with correct backward rules pass.
        assertTrue(GradCheck.standard().check(x -> x[0].exp(), randn(90, 3, 4)).passed());
        assertTrue(GradCheck.standard().check(x -> x[0].t().contiguous(), randn(91, 3, 3)).passed());
    }
}
