package org.omomi.dashboard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A view of the run page for run folders that hold something in particular: a click model's
 * importance and calibration, a recommender's recommendations for a user, a segmentation's
 * profiles. Views are found with {@link ServiceLoader} (register the class in
 * {@code META-INF/services/org.omomi.dashboard.RunView}), so an application module adds its own
 * without the dashboard knowing it; the dashboard's own generic views (importance.json as bars,
 * the folder's pictures) are registered the same way.
 *
 * <p>A view decides from what the folder holds ({@link RunFiles#has}, {@link RunFiles#kind}) whether
 * it applies, and returns {@link Block}s of data; the page draws them. Views read files only — the
 * dashboard reads what training wrote — and should be quick: they run on the request's thread
 * each time the page asks. An exception thrown by a view is shown in its place, one line.
 */
public interface RunView {

    /** The view's name in URLs: lower case letters, digits and dashes, unique among views. */
    String id();

    /** Its heading on the run page. */
    String title();

    /** Whether this run folder has what the view shows. */
    boolean appliesTo(RunFiles run);

    /**
     * The blocks to draw. {@code params} holds the values the page's {@link Block.Choice} menus
     * chose (empty at first): the view picks its defaults when a parameter is absent.
     */
    List<Block> blocks(RunFiles run, Map<String, String> params) throws IOException;

    /** Every view on the class path, in the order ServiceLoader finds them. */
    static List<RunView> installed() {
        List<RunView> out = new ArrayList<>();
        ServiceLoader.load(RunView.class).forEach(out::add);
        return out;
    }
}
