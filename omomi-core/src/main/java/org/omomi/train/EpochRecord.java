package org.omomi.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.nn.Module;
import org.omomi.tensor.Tensor;

/**
 * An epoch line of the run log ({@code "kind": "epoch"}); docs/runlog.md says what each field means.
 *
 * @param epoch       epochs completed, from 1
 * @param step        optimizer steps taken so far
 * @param lr          the learning rate of the first parameter group after the epoch
 * @param train       the epoch's running training metrics ({@code loss}, {@code accuracy})
 * @param val         metrics on the validation set after the epoch (empty without one)
 * @param penalties   each penalty term's value after the epoch (empty without penalties)
 * @param params      per parameter, by state-dict name: shape, weight and gradient statistics,
 *                    the last update's relative size
 * @param activations per ReLU module: units and dead fractions (empty when not probed)
 */
public record EpochRecord(long epoch, long step, double lr, Map<String, Double> train, Map<String, Double> val,
                          Map<String, Double> penalties, Map<String, ParamRecord> params,
                          Map<String, UnitRecord> activations) implements RunLog.Entry {

    public EpochRecord {
        train = frozen(train);
        val = frozen(val);
        penalties = frozen(penalties);
        params = frozen(params);
        activations = frozen(activations);
    }

    private static <V> Map<String, V> frozen(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** One parameter's record: its shape, weight and gradient statistics, and ‖Δw‖/‖w‖ of the epoch's last step. */
    public record ParamRecord(List<Integer> shape, TensorStats weight, TensorStats grad, double updateRatio) {
        public ParamRecord {
            shape = List.copyOf(shape);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> s = new ArrayList<>();
            shape.forEach(d -> s.add((long) d));
            m.put("shape", s);
            m.put("weight", weight.toJson());
            if (grad != null) {
                m.put("grad", grad.toJson());
            }
            if (!Double.isNaN(updateRatio)) {
                m.put("update_ratio", updateRatio);
            }
            return m;
        }

        /**
         * Every parameter of a model: weight and gradient statistics (a table's row-sparse gradient:
         * over the rows the last batch touched), and ‖w − before‖/‖before‖ where {@code before}
         * (the weights before the last step, by name) is given.
         */
        public static Map<String, ParamRecord> of(Module model, Map<String, float[]> before) {
            Map<String, ParamRecord> out = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                Tensor p = e.getValue();
                List<Integer> shape = new ArrayList<>();
                for (int d : p.shape()) {
                    shape.add(d);
                }
                float[] w = p.ownsArray() ? p.array() : p.toArray(); // read only: no copy of a 64 MB table
                TensorStats grad = null;
                if (p.grad() != null) {
                    grad = TensorStats.of(p.grad().toArray());
                } else if (p.sparseGrad() != null) {
                    grad = TensorStats.of(p.sparseGrad().coalesce().values());
                }
                double ratio = Double.NaN;
                if (before != null && before.containsKey(e.getKey())) {
                    float[] old = before.get(e.getKey());
                    double du = 0;
                    double ww = 0;
                    for (int i = 0; i < w.length; i++) {
                        du += ((double) w[i] - old[i]) * ((double) w[i] - old[i]);
                        ww += (double) old[i] * old[i];
                    }
                    ratio = ww == 0 ? Double.NaN : Math.sqrt(du / ww);
                }
                out.put(e.getKey(), new ParamRecord(shape, TensorStats.of(w), grad, ratio));
            }
            return out;
        }

        static ParamRecord fromJson(Map<String, Object> m) {
            List<Integer> shape = new ArrayList<>();
            if (m.get("shape") instanceof List<?> l) {
                l.forEach(d -> shape.add(((Number) d).intValue()));
            }
            Map<String, Object> g = RunLog.object(m, "grad");
            // An absent update ratio (a parameter the last step did not change the norm of) reads as NaN.
            return new ParamRecord(shape, TensorStats.fromJson(RunLog.object(m, "weight")),
                    g.isEmpty() ? null : TensorStats.fromJson(g), RunLog.number(m, "update_ratio"));
        }
    }

    /** Dead units of one ReLU module: how many units, the share zero for every probe example, the share of zero outputs. */
    public record UnitRecord(long units, double deadFraction, double zeroFraction) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("units", units);
            m.put("dead_fraction", deadFraction);
            m.put("zero_fraction", zeroFraction);
            return m;
        }

        static UnitRecord fromJson(Map<String, Object> m) {
            return new UnitRecord(RunLog.whole(m, "units"), RunLog.number(m, "dead_fraction"), RunLog.number(m, "zero_fraction"));
        }
    }

    /** This record with these activation statistics. */
    public EpochRecord withActivations(Map<String, UnitRecord> a) {
        return new EpochRecord(epoch, step, lr, train, val, penalties, params, a);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = RunLog.head("epoch");
        m.put("epoch", epoch);
        m.put("step", step);
        m.put("lr", lr);
        m.put("train", new LinkedHashMap<>(train));
        if (!val.isEmpty()) {
            m.put("val", new LinkedHashMap<>(val));
        }
        if (!penalties.isEmpty()) {
            m.put("penalties", new LinkedHashMap<>(penalties));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        params.forEach((k, v) -> p.put(k, v.toJson()));
        m.put("params", p);
        if (!activations.isEmpty()) {
            Map<String, Object> a = new LinkedHashMap<>();
            activations.forEach((k, v) -> a.put(k, v.toJson()));
            m.put("activations", a);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static EpochRecord fromJson(Map<String, Object> m) {
        Map<String, ParamRecord> params = new LinkedHashMap<>();
        RunLog.object(m, "params").forEach((k, v) -> params.put(k, ParamRecord.fromJson((Map<String, Object>) v)));
        Map<String, UnitRecord> activations = new LinkedHashMap<>();
        RunLog.object(m, "activations").forEach((k, v) -> activations.put(k, UnitRecord.fromJson((Map<String, Object>) v)));
        return new EpochRecord(RunLog.whole(m, "epoch"), RunLog.whole(m, "step"), RunLog.number(m, "lr"),
                RunLog.numbers(m, "train"), RunLog.numbers(m, "val"), RunLog.numbers(m, "penalties"), params, activations);
    }
}
