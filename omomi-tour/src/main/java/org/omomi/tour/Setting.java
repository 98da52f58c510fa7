package org.omomi.tour;

import java.util.Map;

/**
 * What an experiment runs with: the seed, quick mode (the tour's --quick, for a run of about a
 * minute), the images, and extra options by name (an experiment's own flags, e.g. "steps").
 */
public record Setting(long seed, boolean quick, Images images, Map<String, String> options) {

    /** An integer option, or the default (quick or not) when absent. */
    public int option(String name, int normal, int quickValue) {
        String v = options.get(name);
        if (v == null) {
            return quick ? quickValue : normal;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": '" + v + "' is not a positive whole number");
        }
    }
}
