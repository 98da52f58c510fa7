package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omomi.io.Safetensors;
import org.omomi.tensor.Tensor;

/**
 * An exact replay: from given initial weights, without shuffling, validation or scaling, omomi's
 * run reaches the weights PyTorch reached training on the same CSV step by step
 * (conformance/replay_fixture.py), within float32 rounding: with the default learning-rate
 * schedule (cosine with one epoch of warm-up) and with {@code --schedule none}.
 */
class ReplayTest {

    @TempDir
    Path dir;

    private Path resource(String name) throws Exception {
        Path p = dir.resolve(name);
        try (InputStream in = ReplayTest.class.getResourceAsStream("/replay/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    @ParameterizedTest(name = "{0}, schedule {1}")
    @CsvSource({"momentum, default", "adam, default", "adamw, default", "momentum, none", "adam, none", "adamw, none"})
    void trainingReplaysPyTorchStepByStep(String optimizer, String schedule) throws Exception {
        Path csv = resource("replay.csv");
        Path init = resource("init.safetensors");
        boolean constant = schedule.equals("none");
        Path expected = resource("expected-" + optimizer + (constant ? "-constant" : "") + ".safetensors");
        Path out = dir.resolve("run-" + optimizer + "-" + schedule);
        String lr = optimizer.equals("momentum") ? "0.05" : "0.01";
        StringWriter err = new StringWriter();
        String[] args = {"train", "--model", "mlp", "--hidden", "8", "--activation", "tanh", "--data", csv.toString(),
            "--target", "y", "--no-shuffle", "--val-split", "0", "--scale", "none", "--init-weights", init.toString(),
            "--epochs", "3", "--batch-size", "16", "--optimizer", optimizer, "--lr", lr, "--out", out.toString()};
        if (optimizer.equals("adamw")) {
            args = java.util.Arrays.copyOf(args, args.length + 2);
            args[args.length - 2] = "--weight-decay";
            args[args.length - 1] = "0.1";
        }
        if (constant) {
            args = java.util.Arrays.copyOf(args, args.length + 2);
            args[args.length - 2] = "--schedule";
            args[args.length - 1] = "none";
        }
        int code = Omomi.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        Map<String, Tensor> want = Safetensors.read(expected).tensors();
        Map<String, Tensor> got = Safetensors.read(out.resolve("model.safetensors")).tensors();
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) {
            float[] w = want.get(k).toArray();
            float[] g = got.get(k).toArray();
            for (int i = 0; i < w.length; i++) {
                assertTrue(Math.abs(w[i] - g[i]) <= 1e-5 * Math.max(1, Math.abs(w[i])),
                        optimizer + " " + schedule + " " + k + "[" + i + "]: PyTorch " + w[i] + ", omomi " + g[i]);
            }
        }
    }
}
