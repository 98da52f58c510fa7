package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.omomi.data.FashionMnist;
import org.omomi.explain.plot.Png;
import org.omomi.io.Json;

/**
 * What the experiment tests share: the images (Fashion-MNIST where installed, else synthetic),
 * quick settings, and the checks every part must pass. Set {@code -Dtour.full=true} to run the
 * default sizes, {@code -Dtour.synthetic=true} to use the synthetic images even where Fashion-MNIST
 * is installed, {@code -Dtour.seed=N} for another seed, and {@code -Dtour.pictures=DIR} to keep the pictures for a look.
 */
final class TourTests {

    static final long SEED = Long.getLong("tour.seed", 1);
    private static Images images;

    private TourTests() {}

    static synchronized Images images() {
        if (images == null) {
            try {
                images = Boolean.getBoolean("tour.synthetic") ? Images.synthetic(6000, 1000, SEED) : Images.load(FashionMnist.DEBIAN_DIR, SEED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return images;
    }

    /** Quick mode, unless -Dtour.full=true asks for the default sizes. */
    static Setting setting() {
        return new Setting(SEED, !Boolean.getBoolean("tour.full"), images(), Map.of());
    }

    static Setting setting(Map<String, String> options) {
        return new Setting(SEED, !Boolean.getBoolean("tour.full"), images(), options);
    }

    /** Runs the experiment, checks what every part needs, and keeps its pictures when asked. */
    static Part run(Experiment e, Setting s) throws IOException {
        long t0 = System.nanoTime();
        Part p = e.run(s);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(e.name(), p.name());
        assertTrue(p.blocks().stream().anyMatch(b -> b instanceof Part.Picture), "a part has a picture");
        assertTrue(p.blocks().stream().filter(b -> b instanceof Part.Paragraph).count() >= 2, "a part explains itself");
        for (Part.Block b : p.blocks()) {
            if (b instanceof Part.Picture pic) {
                assertTrue(pic.figure().file().startsWith(e.name()), "figure files carry the experiment's name: " + pic.figure().file());
                assertTrue(!pic.title().ja().isBlank() && !pic.caption().ja().isBlank() && !pic.caption().en().isBlank());
                String dir = System.getProperty("tour.pictures");
                if (dir != null && !dir.isBlank()) {
                    Png.write(pic.figure().image(), Path.of(dir, pic.figure().file()));
                }
            } else if (b instanceof Part.Claim c) {
                assertTrue(!c.text().en().isBlank() && !c.text().ja().isBlank() && !c.evidence().isBlank());
            }
        }
        Json.write(p.numbers()); // tour.json can hold every number
        System.out.printf("%s (%s, %s): %.1f s%n", e.name(), s.images().source(), s.quick() ? "quick" : "default", seconds);
        for (Part.Block b : p.blocks()) {
            if (b instanceof Part.Claim c) {
                System.out.printf("  %s %s%n      %s%n", c.holds() ? "holds" : "FAILS", c.text().en(), c.evidence());
            }
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Part p, String key) {
        return (Map<String, Object>) p.numbers().get(key);
    }

    static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    static boolean claim(Part p, String key) {
        return (Boolean) map(p, "claims").get(key);
    }
}
