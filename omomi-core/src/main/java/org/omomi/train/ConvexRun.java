package org.omomi.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Dataset;
import org.omomi.io.AtomicFile;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;

/**
 * A convex model fitted to tolerance by {@link ConvexFit}, with the run log a {@link Trainer}
 * would write, so reports and the dashboard read both kinds of run the same way: a step line per
 * L-BFGS iteration (its objective) and one epoch record after the fit (training and validation
 * metrics, penalties, weight and gradient statistics), which callbacks may annotate.
 */
public final class ConvexRun {

    /** How the fit ended and the record it logged. */
    public record Result(ConvexFit.Result fit, EpochRecord record, double seconds) {}

    private ConvexRun() {}

    /** Fits, then writes {@code RUN_DIR/history.jsonl} when {@code runDir} is given. */
    public static Result fit(Module model, Head head, Dataset train, Dataset val, ConvexFit.Options options, Path runDir,
                             List<Callback> annotators) {
        long t0 = System.nanoTime();
        Map<String, float[]> before = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> before.put(k, v.toArray()));
        ConvexFit.Result fit = ConvexFit.fit(model, head, train, val, options);
        double seconds = (System.nanoTime() - t0) / 1e9;
        // The gradient at the fitted weights, for the record's statistics (the fit leaves none behind).
        model.parameters().forEach(p -> p.clearGrad());
        head.lossOf(model.call(train.all().inputs()), train.all().y()).add(model.penaltyTotal()).backward();
        Map<String, Double> trainMetrics = Trainer.evaluate(model, head, train);
        Map<String, Double> valMetrics = val == null || val.size() == 0 ? Map.of() : Trainer.evaluate(model, head, val);
        Map<String, Double> penalties = new LinkedHashMap<>();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            model.penaltyTerms().forEach((k, v) -> penalties.put(k, (double) v.item()));
        }
        EpochRecord record = new EpochRecord(1, fit.iterations(), Double.NaN, trainMetrics, valMetrics, penalties,
                EpochRecord.ParamRecord.of(model, before), Map.of());
        TrainContext context = new TrainContext(model, null, null, 1, 1, runDir, null);
        context.epoch = 0;
        context.batch = 1;
        context.step = fit.iterations();
        for (Callback c : annotators) {
            record = c.annotate(context, record);
        }
        model.parameters().forEach(p -> p.clearGrad());
        if (runDir != null) {
            List<String> lines = new ArrayList<>();
            for (ConvexFit.Iteration it : fit.trace()) {
                lines.add(RunLog.line(new StepRecord(1, it.iteration(), it.loss(), Double.NaN)));
            }
            lines.add(RunLog.line(record));
            try {
                AtomicFile.writeString(RunLogWriter.file(runDir), String.join("\n", lines) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Result(fit, record, seconds);
    }
}
