package org.omomi.tour;

import java.util.List;

/** The tour's experiments in reading order, and lookup by name for {@code omomi experiment NAME}. */
public final class Experiments {

    private Experiments() {}

    public static List<Experiment> all() {
        return List.of(new NeuronExperiment(), new AdClickExperiment(), new LossesExperiment(), new GradientCheckExperiment(),
                new OptimizerPathsExperiment(), new OptimizersExperiment(), new InitHistogramsExperiment(), new InitTrainingExperiment(),
                new BatchNormExperiment(), new ResidualExperiment(), new RegularizationExperiment(), new L1SparsityExperiment(),
                new FiltersExperiment(), new ExplainExperiment());
    }

    public static Experiment named(String name) {
        for (Experiment e : all()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown experiment '" + name + "'; known: "
                + String.join(", ", all().stream().map(Experiment::name).toList()));
    }
}
