/**
 * Ad click-through prediction that says which features weigh most (docs/ctr.md).
 *
 * <p>Data flows one way: a click log on disk ({@link org.omomi.ctr.ClickLog}: CSV or Criteo's
 * layout, read row by row by a {@link org.omomi.ctr.LogReader}) → the feature processing learned in
 * one pass ({@link org.omomi.ctr.FeatureLearner} → {@link org.omomi.ctr.ClickFeatures}, saved as the
 * run's preprocessing) → batches streamed from the file every epoch ({@link org.omomi.ctr.ClickStream})
 * → a model graph ({@link org.omomi.ctr.ClickModel}: lr, fm, deepfm) trained by core's Trainer on
 * {@link org.omomi.ctr.ClickObjective} ({@link org.omomi.ctr.CtrRun}) → a run folder with held-out
 * metrics ({@link org.omomi.ctr.ClickMetrics}, {@link org.omomi.ctr.Calibration}) → explanations
 * ({@link org.omomi.ctr.FieldAttributions}, {@link org.omomi.ctr.ClickImportance},
 * {@link org.omomi.ctr.ArticleTable}, {@link org.omomi.ctr.Interactions}; {@link org.omomi.ctr.CtrExplain})
 * and predictions ({@link org.omomi.ctr.CtrPredict}). {@link org.omomi.ctr.ClickGenerator} writes logs
 * from a known model ({@link org.omomi.ctr.Truth}) to judge all of it against.
 *
 * <p>On omomi-core and omomi-explain ({@link org.omomi.ctr.ClickRunView}, the dashboard's view of a run, on
 * omomi-dashboard, an optional dependency); the command line reaches it through {@code omomi ctr}.
 */
package org.omomi.ctr;
