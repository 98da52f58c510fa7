package org.omomi.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.io.Json;
import org.omomi.io.JsonFields;
import org.omomi.io.Safetensors;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Tensor;

/**
 * Everything needed to continue training exactly where it stopped, in one safetensors file written
 * atomically: the model's tensors ({@code model.NAME}), the optimizer's buffers
 * ({@code optim.NAME}), and in the metadata the position (epoch, batch, step), the optimizer's
 * step counts and hyperparameters, the model's generator states, the schedule's step and the
 * running sums of the epoch in progress. A crash while writing leaves the previous file whole.
 *
 * @param epoch      epochs completed
 * @param batch      batches completed in epoch {@code epoch} (0 at an epoch boundary)
 * @param step       optimizer steps taken in all
 * @param running    the epoch in progress: loss sum, correct predictions and examples seen
 * @param historyLines run-log lines written when this was saved
 * @param best       the best monitored loss so far
 * @param sinceBest  epochs since it last improved (0 in checkpoints written before this was kept)
 */
public record Checkpoint(Map<String, Tensor> model, Optimizer.Snapshot optimizer, Map<String, long[]> randomState,
                         int epoch, int batch, long step, int scheduleStep, double[] running, int historyLines,
                         double best, int sinceBest) {

    private static final String FORMAT = "omomi.checkpoint/1";

    /** Writes this checkpoint to {@code file}, atomically. */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put("model." + k, v));
        optimizer.buffers().forEach((k, v) -> tensors.put("optim." + k, v));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", (long) epoch);
        meta.put("batch", (long) batch);
        meta.put("step", step);
        meta.put("schedule_step", (long) scheduleStep);
        meta.put("running", List.of(running[0], running[1], running[2]));
        meta.put("history_lines", (long) historyLines);
        meta.put("best", best);
        meta.put("since_best", (long) sinceBest);
        meta.put("optimizer", new LinkedHashMap<>(optimizer.values()));
        Map<String, Object> rng = new LinkedHashMap<>();
        // 64-bit states as hex strings: JSON numbers are doubles and would lose bits.
        randomState.forEach((k, v) -> rng.put(k, List.of(Long.toHexString(v[0]), Long.toHexString(v[1]))));
        meta.put("random_state", rng);
        Safetensors.write(file, tensors, Map.of("omomi", Json.write(meta)));
    }

    /** Reads a checkpoint written by {@link #save}; errors are one line naming the file. */
    public static Checkpoint load(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        String raw = c.metadata().get("omomi");
        Object parsed;
        try {
            parsed = raw == null ? null : Json.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the checkpoint's metadata is not JSON (" + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof Map) || !FORMAT.equals(((Map<?, ?>) parsed).get("format"))) {
            throw new IllegalArgumentException(file + ": not an omomi checkpoint (no " + FORMAT + " metadata)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) parsed;
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                model.put(k.substring(6), v);
            } else if (k.startsWith("optim.")) {
                buffers.put(k.substring(6), v);
            } else {
                throw new IllegalArgumentException(file + ": unexpected tensor '" + k + "' in a checkpoint");
            }
        });
        try {
            Map<String, Double> values = new LinkedHashMap<>();
            JsonFields.object(meta, "optimizer").forEach((k, v) -> {
                if (!(v instanceof Double d)) {
                    throw new IllegalArgumentException("optimizer value '" + k + "' must be a number, found " + JsonFields.kind(v));
                }
                values.put(k, d);
            });
            Map<String, long[]> rng = new LinkedHashMap<>();
            JsonFields.object(meta, "random_state").forEach((k, v) -> rng.put(k, state(k, v)));
            List<?> running = JsonFields.list(meta, "running");
            double[] sums = new double[3];
            for (int i = 0; i < 3; i++) {
                if (running.size() != 3 || !(running.get(i) instanceof Double d)) {
                    throw new IllegalArgumentException("'running' must be three numbers");
                }
                sums[i] = d;
            }
            int maxInt = Integer.MAX_VALUE;
            return new Checkpoint(model, new Optimizer.Snapshot(buffers, values), rng,
                    (int) JsonFields.whole(meta, "epoch", 0, maxInt), (int) JsonFields.whole(meta, "batch", 0, maxInt),
                    JsonFields.whole(meta, "step", 0, Long.MAX_VALUE), (int) JsonFields.whole(meta, "schedule_step", 0, maxInt),
                    sums, (int) JsonFields.whole(meta, "history_lines", 0, maxInt), JsonFields.number(meta, "best"),
                    (int) JsonFields.whole(meta, "since_best", 0, maxInt, 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": checkpoint metadata: " + e.getMessage(), e);
        }
    }

    /** A generator state: two 64-bit words as hexadecimal strings. */
    private static long[] state(String name, Object v) {
        if (v instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String a && pair.get(1) instanceof String b) {
            try {
                return new long[] {Long.parseUnsignedLong(a, 16), Long.parseUnsignedLong(b, 16)};
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("random state '" + name + "' must be two hexadecimal 64-bit words, found " + JsonFields.describe(v));
    }
}
