package org.omomi.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.omomi.io.Predictor;
import org.omomi.tensor.Tensor;

/**
 * Image predictions of concurrent requests run as one batch: each request's rows wait in a queue,
 * and one worker thread takes everything queued (up to {@value #MAX_ROWS} rows), runs one forward
 * pass through the shared {@link Predictor}, and hands every request its rows. An idle server adds
 * no delay (a lone request is a batch of its own); a busy one turns 64 one-row GEMMs, each packing
 * the whole weight matrix for a single row, into one 64-row GEMM. A row's answer does not depend on
 * the rows it was batched with: the forward pass treats rows independently, and the kernels sum
 * each output in the same order whatever the batch (PredictionApiTest checks it bit for bit).
 * The worker stops after {@value #IDLE_SECONDS} s without work and starts again with the next request.
 */
final class Batcher {

    static final int MAX_ROWS = 256;
    static final long IDLE_SECONDS = 30;

    private record Job(float[] pixels, int rows, CompletableFuture<Predictor.Prediction> done) {}

    private final Predictor predictor;
    private final int width;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    Batcher(Predictor predictor, int width) {
        this.predictor = predictor;
        this.width = width;
    }

    /** {@link Predictor#predictImages} of {@code rows} images of {@code width} pixels, batched with whatever else is waiting. */
    Predictor.Prediction predictImages(float[] pixels, int rows) {
        Job job = new Job(pixels, rows, new CompletableFuture<>());
        queue.add(job);
        if (running.compareAndSet(false, true)) {
            Thread t = new Thread(this::work, "omomi-dashboard-batcher");
            t.setDaemon(true);
            t.start();
        }
        try {
            return job.done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void work() {
        List<Job> batch = new ArrayList<>();
        while (true) {
            Job first;
            try {
                first = queue.poll(IDLE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                running.set(false);
                // A job queued while stopping: carry on, unless another worker has started for it.
                if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            int rows = first.rows;
            for (Job next = queue.peek(); next != null && rows + next.rows <= MAX_ROWS; next = queue.peek()) {
                batch.add(queue.poll());
                rows += next.rows;
            }
            run(batch, rows);
        }
    }

    private void run(List<Job> batch, int rows) {
        try {
            if (batch.size() == 1) {
                Job j = batch.get(0);
                j.done.complete(predictor.predictImages(Tensor.wrap(j.pixels, j.rows, width)));
                return;
            }
            float[] all = new float[rows * width];
            int at = 0;
            for (Job j : batch) {
                System.arraycopy(j.pixels, 0, all, at * width, j.rows * width);
                at += j.rows;
            }
            Predictor.Prediction p = predictor.predictImages(Tensor.wrap(all, rows, width));
            float[] outs = p.outputs().toArray();
            float[] probs = p.probabilities() == null ? null : p.probabilities().toArray();
            int k = outs.length / rows;
            int pk = probs == null ? 0 : probs.length / rows;
            int dk = p.predicted().length / rows;
            at = 0;
            for (Job j : batch) {
                float[] o = java.util.Arrays.copyOfRange(outs, at * k, (at + j.rows) * k);
                Tensor pr = null;
                if (probs != null) {
                    float[] q = java.util.Arrays.copyOfRange(probs, at * pk, (at + j.rows) * pk);
                    pr = pk == 1 ? Tensor.wrap(q, j.rows) : Tensor.wrap(q, j.rows, pk);
                }
                j.done.complete(new Predictor.Prediction(Tensor.wrap(o, j.rows, k), pr,
                        java.util.Arrays.copyOfRange(p.predicted(), at * dk, (at + j.rows) * dk)));
                at += j.rows;
            }
        } catch (RuntimeException e) {
            batch.forEach(j -> j.done.completeExceptionally(e));
        }
    }
}
