package org.omomi.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.ctr.ClickFeatures;
import org.omomi.ctr.ClickLog;
import org.omomi.ctr.ClickModel;
import org.omomi.ctr.ClickObjective;
import org.omomi.ctr.ClickStream;
import org.omomi.ctr.FeatureLearner;
import org.omomi.ctr.FeatureOptions;
import org.omomi.ctr.LogFormat;
import org.omomi.ctr.ModelKind;
import org.omomi.ctr.Progress;
import org.omomi.ctr.Split;
import org.omomi.io.Json;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.Parallel;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Adam;
import org.omomi.optim.Optimizer;
import org.omomi.optim.ParamGroup;
import org.omomi.tensor.Tensor;
import org.omomi.train.Trainer;

/**
 * One epoch of DeepFM over a Criteo-layout log streamed from disk, as {@code omomi ctr train
 * --model deepfm --format criteo} runs it: 13 integer fields as log1p numbers, 26 categorical
 * fields hashed into 2²⁰ shared ids, field vectors of 16, the MLP 256-128-64, Adam 1e-3
 * (SparseAdam on the tables), batch 1024, every row training (no held-out split), shuffled in
 * blocks of 2¹⁸ rows. The reference script {@code bench/ctr_torch.py} trains the same model on the
 * same file. Prints one JSON line: the first pass's seconds, the epoch's wall seconds and rows/s
 * (reading, parsing, hashing, shuffling and training), the training steps' own rows/s, peak RSS.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.omomi.bench.CtrBenchmark FILE.tsv THREADS</pre>
 */
public final class CtrBenchmark {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        Parallel.setThreads(threads);
        ClickLog log = ClickLog.of(file, LogFormat.CRITEO);
        Split split = new Split(1, 0, 1);
        long t0 = System.nanoTime();
        FeatureLearner.Learned learned = FeatureLearner.learn(log, FeatureOptions.defaults(LogFormat.CRITEO), split, Progress.NONE);
        double firstPass = (System.nanoTime() - t0) / 1e9;
        ClickFeatures features = learned.features();
        ModelSpec spec = ClickModel.spec(ModelKind.DEEPFM, features, 16, List.of(256, 128, 64), 0);
        Module model = ClickModel.build(spec, features, 1, Map.of());
        List<Tensor> tables = ClickModel.tables(model);
        List<Tensor> rest = model.parameters().stream().filter(p -> tables.stream().noneMatch(t -> t == p)).toList();
        Optimizer adam = Adam.withGroups(List.of(ParamGroup.of(tables).withWeightDecay(0), ParamGroup.of(rest)), Adam.Options.adam());
        ClickStream stream = new ClickStream(log, features, split, learned.keptTrainRows(), batch, ClickStream.DEFAULT_BLOCK, 1);
        Trainer trainer = new Trainer(model, new ClickObjective(model, 1, 1), adam, new Trainer.Options(1, batch, true, 1, 0, 0, 0, false), null);
        long t1 = System.nanoTime();
        Trainer.Result r = trainer.fit(stream, null, null);
        double epoch = (System.nanoTime() - t1) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "ctr_deepfm");
        out.put("lib", "omomi");
        out.put("threads", (long) threads);
        out.put("rows", learned.keptTrainRows());
        out.put("batch", (long) batch);
        out.put("first_pass_s", firstPass);
        out.put("epoch_s", epoch);
        out.put("rows_per_s", learned.keptTrainRows() / epoch);
        out.put("train_rows_per_s", r.samplesPerSecond());
        out.put("train_loss", r.train().get("loss"));
        out.put("peak_rss_mib", MlpBenchmark.peakRssMib());
        out.put("gemm", Gemm.backend().name());
        out.put("java", System.getProperty("java.version"));
        out.put("max_heap_mib", Runtime.getRuntime().maxMemory() / 1048576.0);
        System.out.println(Json.write(out));
    }

    private CtrBenchmark() {}
}
