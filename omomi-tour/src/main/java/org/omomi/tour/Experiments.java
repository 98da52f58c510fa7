package org.omomi.tour;

import java.util.List;

/**
 * The tour's experiments in reading order, and lookup by name for {@code omomi experiment NAME}.
 * The last three are the practical section: the article's applications on their own modules.
 */
public final class Experiments {

    private Experiments() {}

    public static List<Experiment> all() {
        return List.of(new NeuronExperiment(), new AdClickExperiment(), new LossesExperiment(), new GradientCheckExperiment(),
                new OptimizerPathsExperiment(), new OptimizersExperiment(), new InitHistogramsExperiment(), new InitTrainingExperiment(),
                new BatchNormExperiment(), new ResidualExperiment(), new RegularizationExperiment(), new L1SparsityExperiment(),
                new FiltersExperiment(), new ExplainExperiment(),
                new CtrExperiment(), new RecommendExperiment(), new SegmentExperiment());
    }

    /** The names of the practical section's parts, in order: ad clicks, recommendation, segmentation. */
    public static final List<String> PRACTICAL = List.of("ctr", "recommend", "segment");

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
