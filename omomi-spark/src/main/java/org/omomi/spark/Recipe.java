package org.omomi.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.omomi.io.Json;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Rng;
import org.omomi.train.Head;
import org.omomi.train.Objective;

/**
 * How every executor builds its replica of the model being trained: the same model, objective and
 * optimizer classes as the driver's (and as local training's), so a worker's gradient or local
 * steps are local training's own code. Shipped to executors once per task, so it holds
 * descriptions (JSON, seeds), not built objects.
 */
public interface Recipe extends Serializable {

    /** A fresh model (its weights are replaced by the driver's before every use). */
    Module model();

    /** The objective over {@code model}'s outputs. */
    Objective objective(Module model);

    /** The optimizer over {@code model}'s parameters, with any penalties and constraints set on the model. */
    Optimizer optimizer(Module model);

    /** Builds an optimizer for a model; a serializable lambda will do. */
    interface OptimizerFactory extends Serializable {
        Optimizer create(Module model);
    }

    /**
     * A model from its spec, initialized as {@code RunSetup} does ({@code spec.build(new Rng(seed).split())}),
     * trained against a head.
     */
    static Recipe of(ModelSpec spec, long seed, Head head, OptimizerFactory optimizer) {
        return new SpecRecipe(Json.write(spec.toJson()), seed, Json.write(head.toJson(List.of())), optimizer);
    }

    /** {@link #of}'s recipe: the spec and head as JSON text. */
    record SpecRecipe(String specJson, long seed, String headJson, OptimizerFactory optimizerFactory) implements Recipe {
        @Override
        @SuppressWarnings("unchecked")
        public Module model() {
            return ModelSpec.fromJson((Map<String, Object>) Json.parse(specJson)).build(new Rng(seed).split());
        }

        @Override
        @SuppressWarnings("unchecked")
        public Objective objective(Module model) {
            return Head.fromJson((Map<String, Object>) Json.parse(headJson));
        }

        @Override
        public Optimizer optimizer(Module model) {
            return optimizerFactory.create(model);
        }
    }
}
