package org.omomi.spark;

import java.util.Map;
import org.omomi.ctr.ClickFeatures;
import org.omomi.ctr.ClickModel;
import org.omomi.ctr.ClickObjective;
import org.omomi.ctr.CtrConfig;
import org.omomi.ctr.CtrRun;
import org.omomi.io.Json;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Optimizer;
import org.omomi.train.Objective;

/**
 * A click model's {@link Recipe}: omomi-ctr's model ({@link ClickModel}), objective
 * ({@link ClickObjective}, with the positive weight and the down-sampling correction) and
 * optimizer with its L1/L2 ({@link CtrRun#optimizerFor}), from the run's {@code ctr.json},
 * {@code model.json} and {@code preprocessing.json} as text.
 */
record ClickRecipe(String configJson, String specJson, String featuresJson) implements Recipe {

    static ClickRecipe of(CtrConfig config, ModelSpec spec, ClickFeatures features) {
        return new ClickRecipe(Json.write(config.toJson()), Json.write(spec.toJson()), Json.write(features.toJson()));
    }

    @SuppressWarnings("unchecked")
    CtrConfig config() {
        return CtrConfig.fromJson((Map<String, Object>) Json.parse(configJson));
    }

    @SuppressWarnings("unchecked")
    ClickFeatures features() {
        return ClickFeatures.fromJson((Map<String, Object>) Json.parse(featuresJson));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Module model() {
        CtrConfig c = config();
        ModelSpec spec = ModelSpec.fromJson((Map<String, Object>) Json.parse(specJson));
        return ClickModel.build(spec, features(), c.loop().seed(), c.model().startWeights());
    }

    @Override
    public Objective objective(Module model) {
        CtrConfig c = config();
        return new ClickObjective(model, c.posWeight(), c.split().negativeRate());
    }

    @Override
    public Optimizer optimizer(Module model) {
        return CtrRun.optimizerFor(config(), model);
    }
}
