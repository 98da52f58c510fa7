package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.omomi.data.FashionMnist;
import org.omomi.explain.plot.Png;
import org.omomi.io.Json;

/**
 * What the experiment tests share: the settings every part's claims are asserted under, the runs
 * themselves (each part runs once per setting and JVM, whichever test asks first, so a part's own
 * test and the whole-tour test read the same numbers), and the checks every part must pass.
 *
 * <p>The settings are the tour's quick mode with seed 1 and its default configuration, the one
 * docs/tour.md quotes, with seeds 1 and 2 ({@code -Dtour.seeds=1,2,3} for more), on the images
 * {@code omomi tour --seed S} would use: Fashion-MNIST where installed, else the synthetic set of
 * that seed. {@code -Dtour.synthetic=true} uses the synthetic images even where Fashion-MNIST is
 * installed, and {@code -Dtour.pictures=DIR} keeps every part's pictures for a look.
 */
final class TourTests {

    private static final Map<Long, Images> IMAGES = new HashMap<>();
    private static Images fashionMnist;
    private static final Map<String, Part> PARTS = new HashMap<>();

    private TourTests() {}

    /**
     * The images {@code omomi tour --seed S} uses ({@link Images#load}): Fashion-MNIST, read once and
     * shared by every seed, or the synthetic set of that seed. One instance per seed, so the filters
     * and explain parts of a setting share their CNN.
     */
    static synchronized Images images(long seed) {
        if (!Boolean.getBoolean("tour.synthetic") && org.omomi.testing.Requires.strict()) {
            org.omomi.testing.Requires.fashionMnist(); // under CI=true, a missing Fashion-MNIST fails instead of testing the synthetic set
        }
        if (!Boolean.getBoolean("tour.synthetic") && FashionMnist.available(FashionMnist.DEBIAN_DIR)) {
            if (fashionMnist == null) {
                try {
                    fashionMnist = Images.load(FashionMnist.DEBIAN_DIR, seed);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return fashionMnist;
        }
        return IMAGES.computeIfAbsent(seed, s -> Images.synthetic(6000, 1000, s));
    }

    /** Quick mode, seed 1: what {@code omomi tour --quick} computes. */
    static Setting quick() {
        return new Setting(1, true, images(1), Map.of());
    }

    /** The quick setting with an experiment's own options. */
    static Setting quick(Map<String, String> options) {
        return new Setting(1, true, images(1), options);
    }

    /** The default configuration with this seed: what {@code omomi tour --seed S} computes. */
    static Setting defaults(long seed) {
        return new Setting(seed, false, images(seed), Map.of());
    }

    /**
     * The seeds the default configuration is asserted with: {@code -Dtour.seeds}, else 1 and 2. An
     * empty {@code -Dtour.seeds=} asserts only {@code --quick}, for a fast loop while editing (the
     * default run computes for about 2¾ CPU-minutes per seed).
     */
    static long[] defaultSeeds() {
        return Arrays.stream(System.getProperty("tour.seeds", "1,2").split(",")).map(String::strip).filter(v -> !v.isEmpty())
                .mapToLong(Long::parseLong).toArray();
    }

    /** Every setting the claims are asserted under, named for the test report: quick with seed 1, then the default with each seed. */
    static Stream<Named<Setting>> settings() {
        List<Named<Setting>> out = new ArrayList<>();
        out.add(Named.of("quick, seed 1", quick()));
        for (long seed : defaultSeeds()) {
            out.add(Named.of("default, seed " + seed, defaults(seed)));
        }
        return out.stream();
    }

    /** The part {@code e} computes under {@code s}, run (and checked by {@link #run}) the first time it is asked for. */
    static synchronized Part part(Experiment e, Setting s) {
        String key = e.name() + "/" + s.seed() + "/" + s.quick() + "/" + s.options() + "/" + System.identityHashCode(s.images());
        Part p = PARTS.get(key);
        if (p == null) {
            try {
                p = run(e, s);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            PARTS.put(key, p);
        }
        return p;
    }

    /** The tour's experiments, each answering from {@link #part}: the whole tour without computing a part twice. */
    static List<Experiment> shared() {
        return Experiments.all().stream().<Experiment>map(e -> new Experiment() {
            @Override
            public String name() {
                return e.name();
            }

            @Override
            public Part run(Setting s) {
                return part(e, s);
            }
        }).toList();
    }

    /** Runs the experiment, checks what every part needs, and keeps its pictures when asked. */
    static Part run(Experiment e, Setting s) throws IOException {
        long t0 = System.nanoTime();
        Part p = e.run(s);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(e.name(), p.name());
        assertTrue(p.blocks().stream().anyMatch(b -> b instanceof Part.Picture || b instanceof Part.Table), "a part shows its numbers");
        assertTrue(p.blocks().stream().anyMatch(b -> b instanceof Part.Paragraph), "a part explains itself");
        assertTrue(p.blocks().stream().anyMatch(b -> b instanceof Part.Claim), "a part checks a claim");
        for (Part.Block b : p.blocks()) {
            if (b instanceof Part.Picture pic) {
                assertTrue(pic.figure().file().startsWith(e.name()), "figure files carry the experiment's name: " + pic.figure().file());
                assertTrue(!pic.title().en().isBlank() && !pic.title().ja().isBlank() && !pic.caption().ja().isBlank() && !pic.caption().en().isBlank());
                String dir = System.getProperty("tour.pictures");
                if (dir != null && !dir.isBlank()) {
                    Path d = Path.of(dir, (s.quick() ? "quick-" : "default-") + s.seed());
                    Files.createDirectories(d);
                    Png.write(pic.figure().image(), d.resolve(pic.figure().file()));
                }
            } else if (b instanceof Part.Claim c) {
                assertTrue(!c.text().en().isBlank() && !c.text().ja().isBlank() && !c.evidence().isBlank());
            }
        }
        Json.write(p.numbers()); // tour.json can hold every number
        System.out.printf("%s (%s, %s, seed %d): %.1f s%n", e.name(), s.images().source(), s.quick() ? "quick" : "default", s.seed(), seconds);
        for (Part.Block b : p.blocks()) {
            if (b instanceof Part.Claim c) {
                System.out.printf("  %s %s%n      %s%n", c.holds() ? "holds" : "FAILS", c.text().en(), c.evidence());
            }
        }
        return p;
    }

    /** Asserts every claim of the part, each failure naming the claim and its evidence. */
    static void assertClaimsHold(Part p, Setting s) {
        for (Part.Block b : p.blocks()) {
            if (b instanceof Part.Claim c) {
                assertTrue(c.holds(), p.name() + " (" + (s.quick() ? "quick" : "default") + ", seed " + s.seed() + "): " + c.text().en() + " — " + c.evidence());
            }
        }
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
