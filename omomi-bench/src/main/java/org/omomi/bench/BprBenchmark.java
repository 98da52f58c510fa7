package org.omomi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.io.Json;
import org.omomi.kernel.Parallel;
import org.omomi.recommend.InteractionFile;
import org.omomi.recommend.Interactions;
import org.omomi.recommend.ModelKind;
import org.omomi.recommend.Split;
import org.omomi.recommend.Training;
import org.omomi.train.Callback;
import org.omomi.train.EpochRecord;
import org.omomi.train.TrainContext;

/**
 * The BPR workload of BENCHMARKS.md, shaped like the reference script {@code bench/bpr_torch.py}:
 * every interaction of a generated file trained once an epoch through omomi-recommend's own path
 * ({@link Training#train}: the BPR graph with sparse tables, the shared Trainer with its divergence
 * guard, the seeded pair sampler, L2 on the rows used, SparseAdam lr 0.01, batch 1024, one negative).
 * Times each epoch's wall clock — negative sampling included, as the script does — and prints one
 * JSON line: samples/s of the median epoch, the loss, peak RSS.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.omomi.bench.BprBenchmark FILE.csv THREADS EPOCHS [DIM] [BATCH]</pre>
 */
public final class BprBenchmark {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int dim = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 1024;
        Parallel.setThreads(threads);
        Interactions data = InteractionFile.read(file, InteractionFile.Layout.CSV);
        Split all = Split.of(new byte[data.size()], "every interaction trains");
        Training.Options o = Training.Options.defaults(ModelKind.BPR).withDim(dim).withBatchSize(batch).withEpochs(epochs)
                .withLr(0.01).withL2(1e-4).withNegatives(1);
        List<Double> seconds = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        Callback timer = new Callback() {
            private long start;

            @Override
            public void onTrainStart(TrainContext c) {
                start = System.nanoTime();
            }

            @Override
            public void onEpochEnd(TrainContext c, EpochRecord r) {
                long now = System.nanoTime();
                seconds.add((now - start) / 1e9);
                losses.add(r.train().get("loss"));
                start = now;
            }
        };
        Training.train(data, all, o, null, List.of(timer));
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted[sorted.length / 2];
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "bpr");
        out.put("lib", "omomi");
        out.put("threads", (long) threads);
        out.put("users", (long) data.userCount());
        out.put("items", (long) data.itemCount());
        out.put("interactions", (long) data.size());
        out.put("dim", (long) dim);
        out.put("batch", (long) batch);
        out.put("samples_per_s", data.size() / median);
        out.put("epoch_s_median", median);
        out.put("epoch_s_min", sorted[0]);
        out.put("epoch_s_max", sorted[sorted.length - 1]);
        out.put("loss_first", losses.get(0));
        out.put("loss_last", losses.get(losses.size() - 1));
        out.put("epochs", (long) epochs);
        out.put("peak_rss_mib", MlpBenchmark.peakRssMib());
        out.put("java", System.getProperty("java.version"));
        out.put("loadavg1", Double.parseDouble(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
        System.out.println(Json.write(out));
    }

    private BprBenchmark() {}
}
