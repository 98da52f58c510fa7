package org.omomi.explain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.omomi.data.Batch;
import org.omomi.data.Dataset;
import org.omomi.nn.Activation;
import org.omomi.nn.BasicBlock;
import org.omomi.nn.Module;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Tensor;
import org.omomi.train.Callback;
import org.omomi.train.EpochRecord;
import org.omomi.train.EpochRecord.UnitRecord;
import org.omomi.train.TrainContext;

/**
 * Dead ReLUs: units whose output is zero for every example of a probe set. A dead unit passes no
 * gradient, so it stops learning for good; a growing share of them is a sign of a learning rate
 * too high or of a bad initialisation.
 *
 * <p>The modules counted are the ReLU activations and the residual blocks (which end in a ReLU).
 * A unit is a feature of a 2-D output [N, F] and a channel of a 4-D output [N, C, H, W] (a filter
 * that fires nowhere, for no example). The probe runs in evaluation mode without recording a graph,
 * and draws no random numbers, so it leaves training bit-for-bit unchanged.
 *
 * <p>As a training {@link Callback} it adds the {@code activations} of the run log to every
 * epoch's record, probing the first {@link #PROBE} examples of a dataset (the validation set, or
 * the training set without one).
 */
public final class DeadUnits implements Callback {

    private final Dataset probe;

    /** A callback that probes the first {@link #PROBE} examples of {@code probe} after every epoch. */
    public DeadUnits(Dataset probe) {
        this.probe = probe;
    }

    @Override
    public EpochRecord annotate(TrainContext context, EpochRecord record) {
        Map<String, UnitRecord> units = of(context.model(), probe, PROBE);
        return units.isEmpty() ? record : record.withActivations(units);
    }

    /** Examples the run log's probe uses: the first ones of the validation set (or of the training set). */
    public static final int PROBE = 256;

    /**
     * Per counted module, by dotted name: its units, the fraction of units zero for every probe
     * example and the fraction of zero outputs among all outputs. Empty when the model has no ReLU.
     */
    public static Map<String, UnitRecord> of(Module model, Dataset data, int limit) {
        Map<String, Module> relus = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (!name.isEmpty() && (m instanceof BasicBlock || m instanceof Activation a && a.name().equals("ReLU"))) {
                relus.put(name, m);
            }
        });
        Map<String, UnitRecord> out = new LinkedHashMap<>();
        int n = Math.min(limit, data.size());
        if (relus.isEmpty() || n == 0) {
            return out;
        }
        Map<String, Tensor> seen = new LinkedHashMap<>();
        Map<String, UnaryOperator<Tensor>> previous = new LinkedHashMap<>();
        relus.forEach((name, m) -> previous.put(name, m.setForwardHook(t -> {
            seen.put(name, t);
            return t;
        })));
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            Batch b = data.get(idx);
            model.call(b.inputs());
        } finally {
            relus.forEach((name, m) -> m.setForwardHook(previous.get(name)));
            if (wasTraining) {
                model.train();
            }
        }
        seen.forEach((name, t) -> out.put(name, record(t)));
        return out;
    }

    private static UnitRecord record(Tensor t) {
        int[] s = t.shape();
        float[] v = t.toArray();
        int batch = s[0];
        int units = s.length >= 2 ? s[1] : 1;
        int inner = v.length / Math.max(1, batch * units); // positions per unit and example
        boolean[] alive = new boolean[units];
        long zeros = 0;
        for (int e = 0; e < batch; e++) {
            for (int u = 0; u < units; u++) {
                int base = (e * units + u) * inner;
                for (int k = 0; k < inner; k++) {
                    if (v[base + k] == 0f) {
                        zeros++;
                    } else {
                        alive[u] = true;
                    }
                }
            }
        }
        int dead = 0;
        for (boolean a : alive) {
            dead += a ? 0 : 1;
        }
        return new UnitRecord(units, (double) dead / units, v.length == 0 ? Double.NaN : (double) zeros / v.length);
    }
}
