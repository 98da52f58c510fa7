/**
 * Charts and pictures as PNG, drawn with the JDK's headless Java2D and written with ImageIO, so the
 * explain module needs no plotting library: {@link org.omomi.explain.plot.LineChart} (training
 * curves with bands), {@link org.omomi.explain.plot.BarChart} (importances, attributions),
 * {@link org.omomi.explain.plot.ScatterChart} (points in groups, such as customers by segment),
 * {@link org.omomi.explain.plot.RidgePlot} (histograms over epochs),
 * {@link org.omomi.explain.plot.ImageGrid} (filters, feature maps),
 * {@link org.omomi.explain.plot.Overlay} (saliency and Grad-CAM over an input) and
 * {@link org.omomi.explain.plot.NetworkDiagram} (a small dense network's weights as edges).
 *
 * <p>Every chart shares one look, kept in package-private helpers: DejaVu Sans (Java's logical
 * sans-serif where it is missing), antialiased text and lines, a white background, light grey grid
 * lines at "nice" ticks (1, 2 or 5 × 10<sup>k</sup>), compact tick labels ({@code 0.001},
 * {@code 1e-5}, {@code 12k}) and the Okabe–Ito palette, which stays distinguishable under the common
 * forms of color blindness.
 */
package org.omomi.explain.plot;
