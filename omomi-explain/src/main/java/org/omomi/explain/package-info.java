/**
 * Weights made visible: pictures of training from the run log, pictures of weights (filter grids,
 * feature maps, network diagrams) and explanations of single predictions (saliency, SmoothGrad,
 * Integrated Gradients, Grad-CAM). Rendering uses the JDK's headless Java2D and ImageIO only.
 */
package org.omomi.explain;
