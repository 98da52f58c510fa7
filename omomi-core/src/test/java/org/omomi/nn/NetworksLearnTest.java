package org.omomi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.init.Gain;
import org.omomi.init.Init;
import org.omomi.loss.BceWithLogitsLoss;
import org.omomi.loss.MseLoss;
import org.omomi.optim.Adam;
import org.omomi.optim.Optimizer;
import org.omomi.optim.Sgd;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/** The article's claims, run: networks learn, and regularizers do what they say. */
class NetworksLearnTest {

    /** The 2-2-1 network of the article: Xavier-initialized tanh hidden layer, a logit output. */
    private static Sequential xorNet(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(
                new Dense(2, 2, true, rng, Init.xavierUniform(Gain.tanh()), Init.zeros()),
                Activation.tanh(),
                new Dense(2, 1, true, rng, Init.xavierUniform(), Init.zeros()));
    }

    private static final Tensor XOR_X = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    private static final Tensor XOR_Y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);

    /** Trains with Adam (η = 0.05) for 2,000 full-batch steps; returns the final loss. */
    private static Tensor trainXor(Sequential net) {
        Optimizer opt = new Adam(net.parameters(), Adam.Options.adam().withLr(0.05));
        BceWithLogitsLoss loss = new BceWithLogitsLoss();
        for (int step = 0; step < 2000; step++) {
            opt.zeroGrad();
            loss.compute(net.forward(XOR_X), XOR_Y).backward();
            opt.step();
        }
        opt.zeroGrad();
        return loss.compute(net.forward(XOR_X), XOR_Y);
    }

    /**
     * Seeds whose starting weights lead to the solution. About half of random starts do, in
     * PyTorch too (16 of 30 with this recipe); see the next test for where the others end.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {2, 3, 8, 9, 11})
    void aTwoTwoOneNetworkLearnsXor(long seed) {
        Sequential net = xorNet(seed);
        trainXor(net);
        float[] p = net.forward(XOR_X).sigmoid().toArray();
        assertTrue(p[0] < 0.1 && p[3] < 0.1 && p[1] > 0.9 && p[2] > 0.9, "XOR not learned: " + java.util.Arrays.toString(p));
    }

    @Test
    void otherStartsStallAtAStationaryPointNotABug() {
        // Seed 1 solves two of the four cases and outputs ½ for the other two: loss (2·ln 2)/4, and
        // a gradient that has all but vanished. More hidden units or another start get out of it.
        Sequential net = xorNet(1);
        Tensor loss = trainXor(net);
        assertEquals(Math.log(2) / 2, loss.item(), 0.01);
        loss.backward();
        double norm = org.omomi.optim.GradClip.byNorm(net.parameters(), Double.MAX_VALUE);
        assertTrue(norm < 1e-2, "gradient norm " + norm);
    }

    @Test
    void logisticRegressionRecoversKnownWeights() {
        float[] w = {1.5f, -2f, 0.5f, 0f};
        float b = 0.3f;
        Rng rng = new Rng(42);
        int n = 20_000;
        Tensor x = Tensor.randn(rng, n, 4);
        Tensor p = x.matmul(Tensor.vector(w)).add(b).sigmoid();
        Tensor y = Tensor.rand(rng, n).lt(p).reshape(n, 1); // y ~ Bernoulli(σ(x·w + b))
        Dense model = new Dense(4, 1, true, rng, Init.zeros(), Init.zeros());
        Optimizer opt = new Sgd(model.parameters(), Sgd.Options.lr(0.5));
        BceWithLogitsLoss loss = new BceWithLogitsLoss();
        for (int step = 0; step < 400; step++) {
            opt.zeroGrad();
            loss.compute(model.forward(x), y).backward();
            opt.step();
        }
        float[] learned = model.weight().toArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(w[i], learned[i], 0.08, "weight " + i + " of " + java.util.Arrays.toString(learned));
        }
        assertEquals(b, model.bias().item(), 0.08);
    }

    /** Trains a small regression for a few steps and returns the weights. */
    private static float[] train(Optimizer opt, Dense model, Tensor x, Tensor y, boolean withPenalty) {
        MseLoss mse = new MseLoss();
        for (int step = 0; step < 50; step++) {
            opt.zeroGrad();
            Tensor loss = mse.compute(model.forward(x), y);
            if (withPenalty) {
                loss = loss.add(model.penaltyTotal());
            }
            loss.backward();
            opt.step();
        }
        return model.weight().toArray();
    }

    private static Dense freshModel() {
        return new Dense(6, 1, true, new Rng(3), Init.normal(0f, 1f), Init.zeros());
    }

    @Test
    void l2PenaltyEqualsWeightDecayForSgdButNotForAdam() {
        Rng rng = new Rng(8);
        Tensor x = Tensor.randn(rng, 64, 6).mul(Tensor.vector(0.1f, 0.3f, 1f, 3f, 10f, 0.5f));
        Tensor y = Tensor.randn(rng, 64, 1);
        float lambda = 0.05f;

        Dense a = freshModel();
        a.penalize(Penalty.l2(lambda));
        float[] sgdPenalty = train(new Sgd(List.of(a.weight(), a.bias()), Sgd.Options.lr(0.001)), a, x, y, true);
        Dense b = freshModel();
        float[] sgdDecay = train(Sgd.withGroups(List.of(org.omomi.optim.ParamGroup.of(List.of(b.weight())).withWeightDecay(2 * lambda),
                org.omomi.optim.ParamGroup.of(List.of(b.bias()))), Sgd.Options.lr(0.001)), b, x, y, false);
        assertArrayEquals(sgdPenalty, sgdDecay, 1e-5f, "SGD: an L2 penalty λ·Σw² is weight decay 2λ");

        Dense c = freshModel();
        c.penalize(Penalty.l2(lambda));
        float[] adamL2 = train(new Adam(List.of(c.weight(), c.bias()), Adam.Options.adam().withLr(0.05)), c, x, y, true);
        Dense d = freshModel();
        float[] adamW = train(Adam.withGroups(List.of(org.omomi.optim.ParamGroup.of(List.of(d.weight())),
                org.omomi.optim.ParamGroup.of(List.of(d.bias())).withWeightDecay(0)),
                Adam.Options.adamW().withLr(0.05).withWeightDecay(2 * lambda)), d, x, y, false);
        double maxDiff = 0;
        for (int i = 0; i < adamL2.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(adamL2[i] - adamW[i]));
        }
        assertTrue(maxDiff > 1e-2, "Adam + L2 and AdamW should differ, max difference " + maxDiff);
    }

    @Test
    void penaltiesAreReportedAsTheirOwnTerms() {
        Rng rng = new Rng(1);
        Sequential net = new Sequential(new Dense(3, 4, rng), Activation.relu(), new Dense(4, 2, rng));
        net.penalize("0.weight", Penalty.l1(0.1f));
        net.get(2).penalize(Penalty.l2(0.01f));
        var terms = net.penaltyTerms();
        assertEquals(List.of("l1(0.weight)", "l2(2.weight)"), List.copyOf(terms.keySet()));
        Tensor w0 = net.namedParameters().get("0.weight");
        Tensor w2 = net.namedParameters().get("2.weight");
        assertEquals(0.1 * sum(w0.abs()), terms.get("l1(0.weight)").item(), 1e-6);
        assertEquals(0.01 * sum(w2.mul(w2)), terms.get("l2(2.weight)").item(), 1e-6);
        // The L1 gradient is λ·sign(w).
        net.penaltyTotal().backward();
        float[] g = w0.grad().toArray();
        float[] v = w0.toArray();
        for (int i = 0; i < g.length; i++) {
            assertEquals(0.1f * Math.signum(v[i]), g[i], 1e-7f);
        }
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (float v : t.toArray()) {
            s += v;
        }
        return s;
    }

    @Test
    void l1DrivesIrrelevantWeightsToZero() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 512, 8);
        Tensor y = x.slice(1, 0, 1).mul(2f).sub(x.slice(1, 1, 2)); // only inputs 0 and 1 matter
        Dense model = new Dense(8, 1, true, rng, Init.normal(0f, 0.5f), Init.zeros());
        model.penalize(Penalty.l1(0.02f));
        Optimizer opt = new Sgd(model.parameters(), Sgd.Options.lr(0.05));
        MseLoss mse = new MseLoss();
        for (int step = 0; step < 800; step++) {
            opt.zeroGrad();
            mse.compute(model.forward(x), y).add(model.penaltyTotal()).backward();
            opt.step();
        }
        float[] w = model.weight().toArray();
        assertEquals(2f, w[0], 0.1);
        assertEquals(-1f, w[1], 0.1);
        for (int i = 2; i < 8; i++) {
            assertEquals(0f, w[i], 0.01, "irrelevant input " + i + " kept weight " + w[i]);
        }
    }

    @Test
    void maxNormKeepsEveryUnitsIncomingWeightsShort() {
        Rng rng = new Rng(2);
        Dense d = new Dense(10, 4, true, rng, Init.normal(0f, 3f), Init.zeros());
        d.constrain(Constraint.maxNorm(1.5f));
        d.applyConstraints();
        Tensor w = d.weight();
        for (int r = 0; r < 4; r++) {
            double norm = 0;
            for (int c = 0; c < 10; c++) {
                norm += w.get(r, c) * w.get(r, c);
            }
            assertEquals(1.5, Math.sqrt(norm), 1e-4);
        }
        Dense small = new Dense(10, 4, true, rng, Init.normal(0f, 0.01f), Init.zeros());
        float[] before = small.weight().toArray();
        small.constrain(Constraint.maxNorm(1.5f));
        small.applyConstraints();
        assertArrayEquals(before, small.weight().toArray(), 1e-6f, "short rows stay as they are");
    }

    @Test
    void dropoutScalesInTrainingAndIsTheIdentityInEvaluation() {
        Dropout drop = new Dropout(0.25f, new Rng(3));
        Tensor x = Tensor.ones(100_000);
        float[] y = drop.forward(x).toArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(1f / 0.75f, v, 1e-6f);
            }
        }
        assertEquals(0.25, zeros / 100_000.0, 0.01);
        drop.eval();
        assertArrayEquals(x.toArray(), drop.forward(x).toArray());
    }

    @Test
    void freezingStopsUpdates() {
        Rng rng = new Rng(1);
        Dense frozen = new Dense(3, 2, rng);
        Dense trained = new Dense(2, 1, rng);
        Sequential net = new Sequential(frozen, trained);
        frozen.freeze();
        assertEquals(3, net.trainableParameterCount());
        float[] before = frozen.weight().toArray();
        Optimizer opt = new Sgd(net.parameters(), Sgd.Options.lr(0.1));
        net.forward(Tensor.ones(4, 3)).sum().backward();
        opt.step();
        assertArrayEquals(before, frozen.weight().toArray());
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            assertTrue(trained.weight().grad() != null);
        }
    }
}
