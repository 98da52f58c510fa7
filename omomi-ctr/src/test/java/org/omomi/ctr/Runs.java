package org.omomi.ctr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.omomi.tensor.Inputs;
import org.omomi.train.TrainConfig;

/** Shared set-up of the tests that train: a configuration from a log and a model kind, with the test's changes. */
final class Runs {

    private Runs() {}

    static CtrConfig config(Path log, ModelKind kind, double holdout) {
        CtrConfig c = CtrConfig.defaults(ClickLog.of(log, LogFormat.CSV), kind);
        return c.withSplit(new Split(c.loop().seed(), holdout, 1));
    }

    static CtrConfig withOptim(CtrConfig c, double lr, double l1, double l2, String schedule) {
        return c.withOptim(new TrainConfig.Optim(c.optim().optimizer(), lr, null, 0, l1, l2, schedule));
    }

    static CtrConfig withEpochs(CtrConfig c, int epochs) {
        TrainConfig.Loop l = c.loop();
        return c.withLoop(new TrainConfig.Loop(epochs, l.batchSize(), l.seed(), true, false, l.checkpointEvery(), 0));
    }

    static CtrRun.Result train(CtrConfig c, Path runDir) throws IOException {
        CtrRun.Result r = CtrRun.train(c, runDir, Progress.NONE);
        System.out.printf(java.util.Locale.ROOT, "%s %s: auc %.4f (true %.4f) logloss %.4f ece %.4f, %d epochs, %.1f s%n", runDir.getFileName(),
                c.model().kind().label(), r.metric("auc"), r.metrics().containsKey("true_auc") ? r.metric("true_auc") : Double.NaN,
                r.metric("logloss"), r.metric("ece"), r.training().epochs(), r.metric("wall_time_s"));
        return r;
    }

    /** Mean |IG| and weights over the first {@code n} held-out rows, from the mean baseline. */
    static ClickImportance importance(CtrRun.Result r, int n) {
        Inputs in = ClickImportance.first(r.heldOut().data().inputs(), n);
        return ClickImportance.of(r.model(), r.features(), r.config().model().kind(), in,
                FieldAttributions.Baseline.mean(r.model(), r.features(), in));
    }

    static List<String> threeByWeight(ClickImportance imp) {
        return ArticleTable.FEATURES.stream().sorted((a, b) -> Double.compare(Math.abs(imp.weight(b)), Math.abs(imp.weight(a)))).toList();
    }

    static List<String> threeByIg(ClickImportance imp) {
        return ArticleTable.FEATURES.stream().sorted((a, b) -> Double.compare(imp.meanAbsIg(b), imp.meanAbsIg(a))).toList();
    }
}
