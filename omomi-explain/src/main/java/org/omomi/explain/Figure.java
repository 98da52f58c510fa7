package org.omomi.explain;

import java.awt.image.BufferedImage;

/**
 * A picture for a report: the PNG file name it is saved under, a title, and a caption that says
 * what is drawn and how (smoothing, scaling), so the picture can be read on its own.
 */
public record Figure(String file, String title, String caption, BufferedImage image) {

    public Figure {
        if (!file.matches("[A-Za-z0-9._-]+\\.png")) {
            throw new IllegalArgumentException("figure file names are plain PNG names, got '" + file + "'");
        }
    }

    /** A file-name-safe form of a parameter or module name ("layer1.0.conv1.weight" stays, "a/b" becomes "a_b"). */
    public static String safe(String name) {
        return name.isEmpty() ? "model" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
