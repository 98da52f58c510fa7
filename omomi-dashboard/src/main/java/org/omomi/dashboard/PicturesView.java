package org.omomi.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every PNG a run folder holds, in it or one folder down ({@code report/} of {@code omomi inspect},
 * an application's plots), at most {@value #LIMIT}, as pictures.
 */
public final class PicturesView implements RunView {

    static final int LIMIT = 48;

    @Override
    public String id() {
        return "pictures";
    }

    @Override
    public String title() {
        return "Pictures in the run folder";
    }

    @Override
    public boolean appliesTo(RunFiles run) {
        return !run.files(".png").isEmpty();
    }

    @Override
    public List<Block> blocks(RunFiles run, Map<String, String> params) {
        List<String> files = run.files(".png");
        List<Block> out = new ArrayList<>();
        if (files.size() > LIMIT) {
            out.add(new Block.Text("The first " + LIMIT + " of " + files.size() + " pictures."));
        }
        files.stream().limit(LIMIT).forEach(f -> out.add(new Block.Picture(f, f)));
        return out;
    }
}
