package org.omomi.spark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.nn.Module;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Tensor;
import org.omomi.train.TrainStep;

/**
 * An executor's copy of the model with its objective, optimizer and step, kept between tasks of
 * one run: building a model (and initializing a table of millions of rows) for every step would
 * cost more than the step. A pool per run hands one replica to each running task, so tasks that
 * run at once (several executor cores, a retried task beside a slow one) never share one.
 */
final class Replica {

    final Module model;
    final Optimizer optimizer;
    final TrainStep step;
    final List<Tensor> state;    // the state dict's tensors, in order
    final List<Tensor> buffers;  // the state entries that are not parameters

    private Replica(Recipe recipe, double clipNorm) {
        model = recipe.model();
        optimizer = recipe.optimizer(model);
        step = new TrainStep(model, recipe.objective(model), optimizer, clipNorm);
        state = new ArrayList<>(model.stateDict().values());
        buffers = buffersOf(model);
    }

    /** The state entries of a model that are not parameters (batch norm's running statistics), in state-dict order. */
    static List<Tensor> buffersOf(Module model) {
        Map<Tensor, Boolean> params = new IdentityHashMap<>();
        model.parameters().forEach(p -> params.put(p, true));
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : model.stateDict().values()) {
            if (!params.containsKey(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Copies the driver's state (weights and buffers, in state-dict order) into this replica. */
    void load(float[][] values) {
        if (values.length != state.size()) {
            throw new IllegalArgumentException("a state of " + values.length + " tensors for a model of " + state.size());
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            m.put(e.getKey(), Tensor.wrap(values[i++], e.getValue().shape()));
        }
        model.loadStateDict(m);
    }

    /** The model's state as arrays, in state-dict order (copies). */
    static float[][] stateOf(Module model) {
        List<Tensor> s = new ArrayList<>(model.stateDict().values());
        float[][] out = new float[s.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).toArray();
        }
        return out;
    }

    // ------------------------------------------------------------------ the pool

    private static final Map<String, Deque<Replica>> POOLS = new HashMap<>();

    /** A replica for run {@code run}: an idle one, or a new one. Pools of other runs are dropped (an executor trains one run at a time). */
    static Replica borrow(String run, Recipe recipe, double clipNorm) {
        synchronized (POOLS) {
            POOLS.keySet().removeIf(k -> !k.equals(run));
            Replica r = POOLS.computeIfAbsent(run, k -> new ArrayDeque<>()).poll();
            if (r != null) {
                return r;
            }
        }
        return new Replica(recipe, clipNorm);
    }

    /** Gives a replica back for the next task of the same run. */
    static void release(String run, Replica r) {
        synchronized (POOLS) {
            POOLS.computeIfAbsent(run, k -> new ArrayDeque<>()).push(r);
        }
    }
}
