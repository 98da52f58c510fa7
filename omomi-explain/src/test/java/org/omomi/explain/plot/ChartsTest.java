package org.omomi.explain.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Line charts, bar charts and ridge plots: awkward data renders, and the ink lands where it should. */
class ChartsTest {

    private static final double NAN = Double.NaN;

    private static void assertSize(BufferedImage img, int w, int h) {
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
    }

    @Test
    void lineIsDrawnInThePaletteColor() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {5, 3, 2, 1.5, 1.2, 1.1};
        BufferedImage img = new LineChart("loss", "epoch", "loss").series("train", x, y).render(800, 500);
        assertSize(img, 800, 500);
        int blue = Pixels.near(img, Colormap.category(0), 40);
        assertTrue(blue > 800, "the line covers at least its length in pixels, got " + blue);
        assertEquals(0, Pixels.near(img, Colormap.category(1), 30), "no second series, no second color");
        assertTrue(Pixels.near(img, Color.WHITE, 0) > 800 * 500 / 2, "mostly white background");
    }

    @Test
    void awkwardDataRenders() {
        double[] x = {1, 2, 3, 4, 5};
        BufferedImage img = new LineChart("awkward", "x", "y")
                .series("with NaN", x, new double[] {1, NAN, 3, Double.POSITIVE_INFINITY, 5})
                .series("single", new double[] {2}, new double[] {2})
                .series("empty", new double[0], new double[0], true)
                .band("empty band", new double[0], new double[0], new double[0], 2)
                .band("half band", x, new double[] {0, 0, NAN, 1, 1}, new double[] {1, 2, 3, 4, 5}, 0)
                .markers(true)
                .render(640, 400);
        assertSize(img, 640, 400);
        assertTrue(Pixels.near(img, Colormap.category(1), 10) > 20, "the single point is drawn as a dot");

        BufferedImage nothing = new LineChart(null, null, null).render(300, 200);
        assertSize(nothing, 300, 200);
        BufferedImage allNaN = new LineChart("t", "x", "y").series("s", x, new double[] {NAN, NAN, NAN, NAN, NAN}).render(300, 200);
        assertSize(allNaN, 300, 200);
        BufferedImage flat = new LineChart("t", "x", "y").series("s", new double[] {3, 3}, new double[] {7, 7}).render(300, 200);
        assertSize(flat, 300, 200);
    }

    @Test
    void logAxisSkipsNonPositiveValues() {
        double[] x = {0, 1, 2, 3, 4, 5, 6};
        double[] y = {0, 1e-3, 1e-2, -1, 1e-1, 1, 10};
        BufferedImage img = new LineChart("lr", "step", "lr").logY(true).series("lr", x, y).render(800, 500);
        assertTrue(Pixels.near(img, Colormap.category(0), 40) > 300);
        BufferedImage zeros = new LineChart("lr", "step", "lr").logY(true)
                .series("zero", new double[] {0, 1}, new double[] {0, 0}).render(400, 300);
        assertSize(zeros, 400, 300);
    }

    @Test
    void bandIsShadedInItsColorUnderTheLine() {
        double[] x = {0, 1, 2, 3};
        BufferedImage img = new LineChart("band", "x", "y")
                .band("spread", x, new double[] {0, 0, 0, 0}, new double[] {4, 4, 4, 4}, 2)
                .render(600, 400);
        Color c = Colormap.category(2);
        Color shade = new Color(
                (int) Math.round(255 * (1 - LineChart.BAND_ALPHA) + c.getRed() * LineChart.BAND_ALPHA),
                (int) Math.round(255 * (1 - LineChart.BAND_ALPHA) + c.getGreen() * LineChart.BAND_ALPHA),
                (int) Math.round(255 * (1 - LineChart.BAND_ALPHA) + c.getBlue() * LineChart.BAND_ALPHA));
        assertTrue(Pixels.near(img, shade, 3) > 300 * 200, "the band fills most of the plot");
    }

    @Test
    void legendKeepsOffTheData() {
        // A line along the top: the legend must move to a bottom corner or outside, not cover it.
        double[] x = new double[50];
        double[] y = new double[50];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = i % 2 == 0 ? 10 : 9.5;
        }
        double[] low = {0, 49};
        double[] zero = {0, 0};
        BufferedImage unnamed = new LineChart("t", "x", "y").series("", x, y).series("", low, zero).render(600, 400);
        BufferedImage named = new LineChart("t", "x", "y").series("top", x, y).series("bottom", low, zero).render(600, 400);
        int without = Pixels.near(unnamed, Colormap.category(0), 20);
        int with = Pixels.near(named, Colormap.category(0), 20);
        assertTrue(with >= without * 0.9, "the legend covers none of the line: " + with + " vs " + without);
    }

    @Test
    void guidesAreThinGreyLinesThatFrameTheData() {
        // A series over x in [0, 1] and a guide over [0, 4] with a gap: the axis spans the guide too,
        // so the series keeps to the left quarter; the guide is grey and takes no palette color.
        double[] gx = {0, 1, 2, NAN, 3, 4};
        double[] gy = {0, 1, 0, 0, 1, 0};
        BufferedImage img = new LineChart("t", "x", "y")
                .guide(gx, gy)
                .series("", new double[] {0, 1}, new double[] {0.5, 0.5})
                .render(800, 500);
        int grey = Pixels.near(img, LineChart.GUIDE, 12);
        assertTrue(grey > 500, "the guide is drawn in light grey, got " + grey + " pixels");
        int right = 0;
        Color c = Colormap.category(0);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = img.getWidth() / 2; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs(Pixels.r(p) - c.getRed()) < 30 && Math.abs(Pixels.g(p) - c.getGreen()) < 30 && Math.abs(Pixels.b(p) - c.getBlue()) < 30) {
                    right++;
                }
            }
        }
        assertEquals(0, right, "the series stays left of the middle");
        BufferedImage alone = new LineChart("t", "x", "y").guide(gx, gy).render(400, 300);
        assertEquals(0, Pixels.near(alone, Colormap.category(0), 30), "a guide takes no palette color");
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").guide(new double[2], new double[3]));
    }

    @Test
    void lineChartRefusesMismatchedLengths() {
        LineChart c = new LineChart("t", "x", "y");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.series("train", new double[3], new double[4]));
        assertEquals("train: x has 3 values but y has 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> c.band("b", new double[3], new double[3], new double[2], 0));
        assertEquals("b: x has 3 values but hi has 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.render(50, 50));
    }

    @Test
    void signedBarsAreRedAndBlue() {
        BufferedImage img = new BarChart("attributions", "attribution").signed(true)
                .bar("up", 0.8).bar("down", -0.5).bar("nothing", 0).bar("missing", NAN)
                .render(800, 500);
        assertSize(img, 800, 500);
        assertTrue(Pixels.near(img, BarChart.POSITIVE, 2) > 5000, "positive bar in red");
        assertTrue(Pixels.near(img, BarChart.NEGATIVE, 2) > 3000, "negative bar in blue");

        BufferedImage plain = new BarChart("importance", "drop").bar("a", 3).bar("b", -1).render(600, 300);
        assertTrue(Pixels.near(plain, Colormap.category(0), 2) > 3000);
        assertEquals(0, Pixels.near(plain, BarChart.POSITIVE, 2), "unsigned bars use one color");

        BarChart many = new BarChart("many", "v");
        for (int i = 0; i < 200; i++) {
            many.bar("feature " + i, Math.sin(i));
        }
        assertSize(many.render(600, 400), 600, 400);
        assertSize(new BarChart("empty", "v").render(300, 200), 300, 200);
    }

    @Test
    void ridgeRowsRender() {
        RidgePlot ridge = new RidgePlot("weights", "value")
                .add("epoch 1", -1, 1, new long[] {1, 4, 9, 4, 1})
                .add("epoch 2", 0, 0, new long[0])
                .add("epoch 3", 0.5, 0.5, new long[] {100})
                .add("epoch 4", -2, 2, new long[] {0, 0, 0})
                .add("epoch 5", Double.NaN, Double.NaN, new long[0]);
        BufferedImage img = ridge.render(800, 600);
        assertSize(img, 800, 600);
        Color first = new Color(Colormap.viridis(0));
        assertTrue(Pixels.count(img, p -> Math.abs(Pixels.r(p) - Pixels.g(p)) > 30 || Math.abs(Pixels.b(p) - Pixels.g(p)) > 30) > 1000,
                "filled colored curves, e.g. near " + first);
        assertSize(new RidgePlot("none", "x").render(300, 200), 300, 200);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RidgePlot("t", "x").add("bad", 1, 0, new long[] {1}));
        assertTrue(e.getMessage().contains("lo <= hi"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RidgePlot("t", "x").add("neg", 0, 1, new long[] {-1}));
    }

    /** Heights left to the chart follow the content and never fall below a usable minimum. */
    @Test
    void heightsFollowTheContent() {
        BufferedImage one = new RidgePlot("one epoch", "w").add("epoch 1", -1, 1, new long[] {1, 3, 1}).render(820);
        assertEquals(820, one.getWidth());
        assertEquals(RidgePlot.MIN_HEIGHT, one.getHeight(), "one row gets the minimum height");
        assertTrue(Pixels.count(one, p -> Math.abs(Pixels.r(p) - Pixels.g(p)) > 30 || Math.abs(Pixels.b(p) - Pixels.g(p)) > 30) > 1000,
                "the one row is drawn");
        RidgePlot many = new RidgePlot("many", "w");
        for (int i = 0; i < 21; i++) {
            many.add("epoch " + i, -1, 1, new long[] {1, 3, 1});
        }
        int tall = many.render(820).getHeight();
        assertTrue(tall > 21 * RidgePlot.ROW_SPACING, "21 rows get room: " + tall);
        assertEquals(RidgePlot.MIN_HEIGHT, new RidgePlot("none", "w").render(400).getHeight());

        BufferedImage bar = new BarChart("one feature", "v").bar("only", 0.4).render(820);
        assertEquals(BarChart.MIN_HEIGHT, bar.getHeight());
        assertTrue(Pixels.near(bar, Colormap.category(0), 2) > 1000, "the one bar is drawn");
        assertEquals(BarChart.MIN_HEIGHT, new BarChart("none", "v").render(300).getHeight());
        BarChart thirty = new BarChart("thirty", "v");
        for (int i = 0; i < 30; i++) {
            thirty.bar("f" + i, i);
        }
        assertTrue(thirty.render(820).getHeight() >= 30 * BarChart.BAR_SLOT);
    }

    /** Values equal to the last bit, or close to the float range's ends, still give an axis with ticks. */
    @Test
    void degenerateRangesRender() {
        double loss = Math.log(2);
        double[] x = {1, 2, 3};
        BufferedImage flat = new LineChart("flat", "epoch", "loss").markers(true)
                .series("train", x, new double[] {loss, Math.nextUp(loss), loss}).render(600, 400);
        assertTrue(Pixels.near(flat, Colormap.category(0), 40) > 100, "a flat line is drawn");
        double[] r = Axes.padded(loss, Math.nextUp(loss), 0.05, false);
        assertTrue(r[1] - r[0] > 0.1 * loss, "a span of one ulp is widened: " + r[0] + " .. " + r[1]);
        BufferedImage huge = new LineChart("huge", "epoch", "loss")
                .series("train", x, new double[] {-Float.MAX_VALUE, 0, Float.MAX_VALUE}).render(600, 400);
        assertTrue(Pixels.near(huge, Colormap.category(0), 40) > 100);
        BufferedImage extreme = new LineChart("extreme", "epoch", "loss")
                .series("train", x, new double[] {-Double.MAX_VALUE, 0, Double.MAX_VALUE}).render(600, 400);
        assertSize(extreme, 600, 400);
        BufferedImage logFlat = new LineChart("log", "epoch", "lr").logY(true)
                .series("lr", x, new double[] {1e-3, Math.nextUp(1e-3), 1e-3}).render(600, 400);
        assertTrue(Pixels.near(logFlat, Colormap.category(0), 40) > 100);
    }

    /** A chart with nothing finite to draw says so rather than showing bare axes. */
    @Test
    void emptyChartsSaySo() {
        double[] x = {1, 2};
        LineChart nan = new LineChart("t", "x", "y").series("s", x, new double[] {NAN, Double.POSITIVE_INFINITY});
        assertTrue(!nan.hasData());
        assertTrue(new LineChart("t", "x", "y").series("s", x, new double[] {NAN, 1}).hasData());
        assertTrue(!new LineChart("t", "x", "y").logY(true).series("s", x, new double[] {0, -1}).hasData());
        BufferedImage withNote = nan.render(400, 300);
        BufferedImage bare = new LineChart("t", "x", "y").series("s", x, new double[] {NAN, NAN}).render(400, 300);
        // Both carry the note; a chart of nothing but axes would have fewer dark pixels in the middle.
        int middle = darkIn(withNote, 100, 120, 300, 180);
        assertTrue(middle > 50, "the note is written in the middle of the plot: " + middle + " dark pixels");
        assertEquals(middle, darkIn(bare, 100, 120, 300, 180));
        BufferedImage ridge = new RidgePlot("t", "w").add("epoch 1", NAN, NAN, new long[0]).render(400);
        assertTrue(darkIn(ridge, 100, 80, 300, 160) > 50, "an all-NaN ridge says so");
        BufferedImage bars = new BarChart("t", "v").bar("a", NAN).render(400);
        assertTrue(darkIn(bars, 150, 40, 350, 110) > 50, "an all-NaN bar chart says so");
    }

    private static int darkIn(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (Pixels.r(img.getRGB(x, y)) < 150) {
                    n++;
                }
            }
        }
        return n;
    }
}
