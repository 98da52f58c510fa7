package org.omomi.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.omomi.ctr.ClickFeatures;
import org.omomi.ctr.ClickLog;
import org.omomi.ctr.CtrConfig;
import org.omomi.ctr.CtrRun;
import org.omomi.ctr.LogReader;
import org.omomi.ctr.LogRow;
import org.omomi.ctr.Split;
import org.omomi.data.Dataset;
import org.omomi.data.InputsDataset;
import org.omomi.tensor.Tensor;
import scala.Tuple2;

/**
 * A click log in Criteo's layout read by Spark ({@code textFile}: local files, HDFS, S3, …) and
 * encoded on the executors with the run's learned feature processing: each partition's lines go
 * through omomi-ctr's own Criteo reader, numbered as lines of the file ({@code zipWithIndex}), so
 * the held-out split and the negative down-sampling ({@link Split}, decided by line number) and
 * error messages are those of a local run on the same file. Held-out and dropped rows are left
 * out; the kept training rows stay cached, encoded, on the executors.
 *
 * <p>{@link #steps} is a {@link CtrRun.Steps}, so {@code CtrRun.train} runs a whole click run —
 * features, held-out metrics, the run folder — on a cluster's steps.
 */
public final class ClickPartitions {

    private ClickPartitions() {}

    /** The steps of a click run on {@code sc}: the log read with {@code textFile} into at least {@code partitions} partitions. */
    public static CtrRun.Steps steps(JavaSparkContext sc, String uri, int partitions, SparkSteps.Options options) {
        return (config, features, spec, keptRows) -> {
            JavaRDD<Tuple2<String, Long>> lines = sc.textFile(uri, partitions).zipWithIndex().map(t -> t);
            Encoder encoder = new Encoder(ClickRecipe.of(config, spec, features).featuresJson(), org.omomi.io.Json.write(config.toJson()));
            SparkSteps steps = SparkSteps.of(lines, encoder, ClickRecipe.of(config, spec, features), loop(config), options);
            long rows = Arrays.stream(steps.sizes()).sum();
            if (rows != keptRows) {
                throw new IllegalArgumentException(uri + ": " + rows + " kept training rows on the cluster, " + keptRows
                        + " when the features were learned; is it the same log?");
            }
            return steps;
        };
    }

    static org.omomi.train.Trainer.Options loop(CtrConfig c) {
        return new org.omomi.train.Trainer.Options(c.loop().epochs(), c.loop().batchSize(), true, c.loop().seed(),
                c.loop().checkpointEvery(), 0, 0, false);
    }

    /** Lines with their index in the file (from 0) → the partition's kept training rows, encoded. */
    record Encoder(String featuresJson, String configJson) implements PartitionEncoder<Tuple2<String, Long>> {
        @Override
        @SuppressWarnings("unchecked")
        public Dataset encode(int partition, Iterator<Tuple2<String, Long>> rows) {
            CtrConfig c = CtrConfig.fromJson((java.util.Map<String, Object>) org.omomi.io.Json.parse(configJson));
            ClickFeatures features = ClickFeatures.fromJson((java.util.Map<String, Object>) org.omomi.io.Json.parse(featuresJson));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long first = -1;
            long expected = -1;
            while (rows.hasNext()) {
                Tuple2<String, Long> t = rows.next();
                if (first < 0) {
                    first = t._2();
                } else if (t._2() != expected) {
                    throw new IllegalStateException("partition " + partition + ": lines out of order at line " + (t._2() + 1));
                }
                expected = t._2() + 1;
                byte[] b = t._1().getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                bytes.write('\n');
            }
            if (first < 0) {
                return new Columns.Empty();
            }
            if (first + 1 > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(c.log().file() + ": more than 2³¹ lines; omomi-ctr numbers lines with ints");
            }
            ClickLog log = c.log();
            Split split = c.split();
            int f = features.fieldCount();
            int d = features.numericCount();
            int capacity = 1024;
            int[] ids = new int[capacity * f];
            float[] x = new float[capacity * d];
            float[] y = new float[capacity];
            int n = 0;
            try (LogReader reader = log.openPart(new ByteArrayInputStream(bytes.toByteArray()), (int) (first + 1))) {
                LogRow r;
                while ((r = reader.next()) != null) {
                    if (split.heldOut(r.line()) || !split.kept(r.line(), r.label())) {
                        continue;
                    }
                    if (n == capacity) {
                        capacity *= 2;
                        ids = Arrays.copyOf(ids, capacity * f);
                        x = Arrays.copyOf(x, capacity * d);
                        y = Arrays.copyOf(y, capacity);
                    }
                    try {
                        features.encode(r.values(), reader.file(), r.line(), ids, n * f, x, n * d);
                    } catch (IllegalArgumentException e) {
                        if (!log.skipBadRows()) {
                            throw e;
                        }
                        continue;
                    }
                    y[n++] = r.label();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (n == 0) {
                return new Columns.Empty();
            }
            return new InputsDataset(features.inputs(Arrays.copyOf(ids, n * f), Arrays.copyOf(x, n * d), n), Tensor.wrap(Arrays.copyOf(y, n), n));
        }
    }
}
